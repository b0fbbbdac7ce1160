// The configuration as plain values: what superv.toml says, validated and
// with defaults filled in. Loading lives in loader.hpp, expansion of
// programs into processes in processes.hpp.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace superv::config {

using Millis = std::chrono::milliseconds;

// Where something was written, for FILE:LINE:COL messages.
struct SourcePos {
    std::string file;
    int line = 0;
    int column = 0;
    bool operator==(const SourcePos&) const = default;
    // "FILE:LINE:COL", or "FILE" where there is no line (a file that could not be read).
    std::string to_string() const {
        if (line == 0) return file;
        return file + ":" + std::to_string(line) + ":" + std::to_string(column);
    }
};

enum class AutoRestart { Always, OnFailure, Never };

struct LogTarget {
    enum class Kind { Inherit, None, File };
    Kind kind = Kind::Inherit;
    std::string path;  // Kind::File only
    bool operator==(const LogTarget&) const = default;
};

struct LogSpec {
    LogTarget target;
    std::uint64_t max_bytes = 50ull * 1024 * 1024;  // 0 = never rotate
    int backups = 10;
    bool operator==(const LogSpec&) const = default;
};

// One `rlimits` entry: a resource limit the child gets before exec.
struct ResourceLimit {
    static constexpr std::uint64_t kUnlimited = UINT64_MAX;  // RLIM64_INFINITY
    int resource = 0;                                        // RLIMIT_*
    std::uint64_t soft = 0;
    std::uint64_t hard = 0;
    bool operator==(const ResourceLimit&) const = default;
};

// One [programs.NAME] table. Option names and defaults follow supervisord
// where the meaning is the same.
struct ProgramConfig {
    std::string name;
    std::vector<std::string> command;  // argv; argv[0] looked up in PATH when it has no '/'
    std::string directory;             // empty: superv's own working directory
    std::map<std::string, std::string> environment;  // added to superv's environment
    std::string user;                                // empty: superv's own user
    std::string group;
    std::optional<mode_t> umask;
    bool autostart = true;
    AutoRestart autorestart = AutoRestart::OnFailure;
    std::vector<int> exitcodes{0};
    Millis startsecs{1000};
    int startretries = 3;
    int stopsignal = SIGTERM;
    Millis stopwaitsecs{10000};
    bool stopasgroup = false;
    bool killasgroup = false;  // implied by stopasgroup
    int numprocs = 1;
    int priority = 999;
    bool critical = false;
    LogSpec stdout_log;
    LogSpec stderr_log;
    bool redirect_stderr = false;
    // Privileges (README "Security"). Capabilities the program keeps, bit N =
    // capability N of <linux/capability.h>; every other one leaves all five
    // sets. nullopt: untouched (root keeps everything, a switched user nothing).
    std::optional<std::uint64_t> capabilities;
    bool no_new_privs = false;
    std::vector<ResourceLimit> rlimits;  // one per resource, in name order
    bool clear_environment = false;      // start from a minimal environment, not superv's
    // Not a config key: `main` from `superv daemon -- CMD` reads superv's own
    // stdin, as under tini; configured programs read /dev/null.
    bool inherit_stdin = false;

    SourcePos pos;  // of the [programs.NAME] header; not part of the program's identity

    // Equal when every option is equal (used by `update` to find changed programs).
    bool same_options(const ProgramConfig& other) const;

  private:
    // Includes `pos`, so moving a table in the file would look like a change;
    // private so that callers use same_options(), which also picks up any
    // option added later without being edited.
    bool operator==(const ProgramConfig&) const = default;
};

// One [groups.NAME] table.
struct GroupConfig {
    std::string name;
    std::vector<std::string> programs;
    SourcePos pos;
    bool operator==(const GroupConfig&) const = default;
};

// The [superv] table.
struct DaemonConfig {
    std::string socket;  // empty: $SUPERV_SOCKET, else the default path
    std::optional<mode_t> socket_mode;
    std::string socket_group;
    std::string log_level = "info";
    Millis shutdown_timeout{30000};
    bool operator==(const DaemonConfig&) const = default;
};

struct Config {
    std::string path;                   // the file it was loaded from
    std::vector<std::string> included;  // files read through `include`, in order
    DaemonConfig daemon;
    std::vector<ProgramConfig> programs;  // in file order
    std::vector<GroupConfig> groups;      // in file order
};

}  // namespace superv::config

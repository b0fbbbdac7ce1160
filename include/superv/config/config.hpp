// The configuration as plain values: what superv.toml says, validated and
// with defaults filled in. Loading lives in loader.hpp, expansion of
// programs into processes in processes.hpp.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

// A problem with a position: an error refuses the config, a warning (what
// superv reads but cannot honour, e.g. a supervisord option without a
// meaning here) is reported and the config still loads.
struct ConfigError {
    SourcePos pos;
    std::string message;

    // "superv.toml:12:9: unknown key \"stopwaitsec\" (did you mean \"stopwaitsecs\"?)"
    std::string to_string() const;
};

// Which syntax a config was written in: superv's TOML, or supervisord's INI
// (supervisord.conf, read with supervisord 4.2's meanings).
enum class ConfigFormat { Toml, Supervisord };

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

// `type`: a long-running program (systemd's "simple", the default), or a
// job that runs to completion (a oneshot: STARTING while it runs, EXITED
// once it exited with a code in `exitcodes`, which completes it).
enum class ProgramType { Long, Oneshot };

// What a `depends_on` entry waits for in its target.
enum class Condition {
    Started,    // spawned
    Running,    // RUNNING
    Ready,      // RUNNING and ready (`running` for a program without `ready`)
    Healthy,    // its health check passes
    Completed,  // a oneshot exited with a code in `exitcodes`
};

inline constexpr Condition kConditions[] = {Condition::Started, Condition::Running,
                                            Condition::Ready, Condition::Healthy,
                                            Condition::Completed};

// "started", "running", "ready", "healthy", "completed": the TOML spelling.
std::string_view condition_name(Condition condition);

// One `depends_on` entry.
struct Dependency {
    std::string target;  // a program; when no program has the name, a group (every member)
    Condition condition = Condition::Ready;
    SourcePos pos;  // of the entry; not part of the identity (same_options() ignores it)
    bool operator==(const Dependency&) const = default;
};

struct CompiledRegex;  // compiled_regex.hpp: kept out of this header, for its weight

// `ready`: what, beyond being up `startsecs`, makes a process ready.
struct Readiness {
    enum class Kind {
        None,     // ready once RUNNING
        Notify,   // READY=1 on $NOTIFY_SOCKET (sd_notify), from it or a descendant
        Fd,       // a newline on fd `fd` of the child (s6's notification-fd)
        Tcp,      // a TCP connect to host:port succeeds
        Log,      // a line of its captured output matches `pattern`
        Healthy,  // its health check passes for the first time
    };
    Kind kind = Kind::None;
    int fd = 0;           // Fd: >= 3 (0..2 are stdin, stdout and stderr)
    std::string host;     // Tcp: a numeric IPv4 or IPv6 address (no brackets)
    int port = 0;         // Tcp: 1..65535
    std::string pattern;  // Log: an ECMAScript regex (std::regex)
    // Log: `pattern` compiled once by the loader (where a bad one is an error
    // at FILE:LINE:COL); copies of the config share it.
    std::shared_ptr<const CompiledRegex> compiled;
    // Equal patterns compile alike: `compiled` is left out.
    bool operator==(const Readiness& o) const {
        return kind == o.kind && fd == o.fd && host == o.host && port == o.port &&
               pattern == o.pattern;
    }
};

// [programs.NAME.healthcheck]: a probe run every `interval` while the process
// is up (README "Health checks"); Docker's knobs and their meanings.
struct HealthCheck {
    enum class Kind {
        None,  // no health check
        Http,  // GET url: a 2xx or 3xx status passes
        Tcp,   // a TCP connect to host:port succeeds
        Exec,  // `command`, spawned like the program, exits 0
    };
    Kind kind = Kind::None;
    std::string url;                   // Http: as written (for messages)
    std::string host;                  // Http, Tcp: a numeric IPv4 or IPv6 address (no brackets)
    int port = 0;                      // Http (default 80), Tcp: 1..65535
    std::string host_header;           // Http: the URL's host[:port], as written
    std::string path = "/";            // Http: path and query of the URL
    std::vector<std::string> command;  // Exec: argv
    Millis interval{10000};            // between the end of a check and the next
    Millis timeout{2000};              // a check slower than this fails; below `interval`
    int retries = 3;                   // failures in a row before unhealthy (>= 1)
    Millis start_period{0};            // failures this soon after the spawn do not count
    bool restart_on_unhealthy = true;  // on_unhealthy = "restart" (true) | "none"
    SourcePos pos;                     // of the table; not part of the identity
    bool operator==(const HealthCheck& o) const {
        return kind == o.kind && url == o.url && host == o.host && port == o.port &&
               host_header == o.host_header && path == o.path && command == o.command &&
               interval == o.interval && timeout == o.timeout && retries == o.retries &&
               start_period == o.start_period && restart_on_unhealthy == o.restart_on_unhealthy;
    }
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
    ProgramType type = ProgramType::Long;
    // Start order (README "Start order"): spawned once every entry's
    // condition holds in its target; in file order.
    std::vector<Dependency> depends_on;
    Readiness ready;
    // Not ready this long after the spawn: a failed start. 90 s as systemd's
    // DefaultTimeoutStartSec, for units moved over; 0 waits for ever (as
    // s6-rc's timeout-up = 0). Only with `ready`.
    Millis ready_timeout{90000};
    HealthCheck healthcheck;
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
    // stdin: /dev/null (false), or a pipe that `sendProcessStdin` writes to
    // (true; what supervisord gives every program, so INI configs set it).
    bool stdin_pipe = false;
    // SUPERVISOR_SERVER_URL for the program; empty: derived from the first
    // HTTP listener by expand_processes() (supervisord's serverurl = AUTO).
    std::string serverurl;
    // Not a config key: `main` from `superv daemon -- CMD` reads superv's own
    // stdin, as under tini; configured programs read /dev/null.
    bool inherit_stdin = false;

    SourcePos pos;  // of the [programs.NAME] header; not part of the program's identity

    // Equal when every option is equal (used by `update` to find changed
    // programs); `depends_on` compares as a set, without positions.
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
    // supervisord's [group:x] priority: when set, every member starts and
    // stops at this priority instead of its program's own.
    std::optional<int> priority;
    SourcePos pos;
    bool operator==(const GroupConfig&) const = default;
};

// An address superv's HTTP server (supervisord's XML-RPC at /RPC2, /logtail,
// /mainlogtail) listens on: TOML [superv.http] listen, or the INI's
// [unix_http_server] / [inet_http_server].
struct HttpListener {
    enum class Kind { Unix, Tcp };
    Kind kind = Kind::Unix;
    std::string path;    // Unix: the socket file (absolute)
    mode_t mode = 0600;  // Unix: the socket's mode (the INI's chmod, default 0700)
    std::string owner;   // Unix: chown to this user ("" = superv's own)
    std::string group;   // Unix: chown to this group ("" = the user's / superv's own)
    std::string host;    // Tcp: a name or address ("::1", no brackets); "" = every interface
    int port = 0;        // Tcp
    // HTTP basic auth on every path when both are set; the password is the
    // plain text or "{SHA}" + the sha1 hex digest, as supervisord's.
    std::string username;
    std::string password;
    SourcePos pos;
    bool operator==(const HttpListener&) const = default;
};

// The [superv] table (an INI's [supervisord] fills the same fields).
struct DaemonConfig {
    std::string socket;  // empty: $SUPERV_SOCKET, else the default path
    std::optional<mode_t> socket_mode;
    std::string socket_group;
    std::string log_level = "info";
    Millis shutdown_timeout{30000};
    std::vector<HttpListener> http;  // none by default
    // supervisord's getIdentification().
    std::string identifier = "supervisor";
    // superv's own log is also written to this file (target File), rotated as
    // a program's; readLog / mainlogtail read it. Kind None: stderr only.
    LogSpec logfile{LogTarget{LogTarget::Kind::None, {}}, 50ull * 1024 * 1024, 10};
    std::string user;             // switch to this user once started ("" = stay)
    std::string directory;        // chdir here once started ("" = stay)
    std::optional<mode_t> umask;  // superv's own umask (children inherit it)
    // Added to every program's environment (a program's own wins); merged by
    // expand_processes().
    std::map<std::string, std::string> environment;
    int minfds = 0;       // refuse to start unless RLIMIT_NOFILE can be raised to this
    int minprocs = 0;     // the same for RLIMIT_NPROC
    std::string pidfile;  // written at start, removed at exit ("" = none)
    bool operator==(const DaemonConfig&) const = default;
};

struct Config {
    ConfigFormat format = ConfigFormat::Toml;
    std::string path;                   // the file it was loaded from
    std::vector<std::string> included;  // files read through `include`, in order
    DaemonConfig daemon;
    std::vector<ProgramConfig> programs;  // in file order
    std::vector<GroupConfig> groups;      // in file order
    std::vector<ConfigError> warnings;    // reported by check and the daemon; loading went on
};

}  // namespace superv::config

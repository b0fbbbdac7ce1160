// Loading superv.toml: parse with toml++, validate every key, report every
// problem with its position. A config either loads whole or not at all.
// Text whose first section is one of supervisord's ([supervisord],
// [program:x], ...) is read as supervisord.conf instead: see
// superv/config/supervisord.hpp.
//
// Relative paths (`directory`, `stdout_logfile`, `stderr_logfile`, `socket`,
// `logfile`, `pidfile`, a unix `listen` address) are resolved against the
// directory of the config file, so a config means the same whatever
// directory superv was started from; they are joined, not normalised
// ("../x" stays as written under that directory). A relative `command` word
// is left alone: it is resolved by exec in `directory`.
//
// Names: programs and groups are [A-Za-z0-9_.-]+ and not "all" (the selector
// for everything). Process names must be unique across programs (a program
// "web_00" clashes with process 00 of a "web" with numprocs > 1). A program
// is in at most one [groups.X]. A [groups.X] may share its name with program
// X only when X is one of its members: otherwise "X:*" would mean both the
// group and the group program X forms on its own.
//
// `user`/`group` must exist when the config is loaded; when superv is not
// root they must be its own, since it could not switch to another.
//
// Includes: a top-level `include = ["conf.d/*.toml"]` in the main file lists
// glob patterns, relative to the main file's directory. Every match is read,
// pattern by pattern, each pattern's matches sorted by name; a pattern that
// matches nothing is fine, a file matched twice is read once. An included
// file holds only [programs.*] and [groups.*] tables ([superv] and `include`
// belong to the main file), its relative paths are relative to its own
// directory, and its errors name it. A program or group defined in two files
// is an error at the second definition, naming the first.
//
// StrictModes (as sshd's): when enabled, every file read (the main file and
// each included one) must be owned by root (or superv's own user) and not
// writable by group or others, and so must the directory it is in; otherwise
// the file is refused with "FILE: writable by group/others; fix its mode or
// run with --no-strict-modes".
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "superv/config/config.hpp"

namespace superv::config {

class LoadResult {
  public:
    explicit LoadResult(Config config) : v_(std::move(config)) {}
    explicit LoadResult(std::vector<ConfigError> errors) : v_(std::move(errors)) {}

    bool ok() const { return v_.index() == 0; }
    Config& config() { return std::get<0>(v_); }
    const std::vector<ConfigError>& errors() const { return std::get<1>(v_); }

  private:
    std::variant<Config, std::vector<ConfigError>> v_;
};

struct LoadOptions {
    bool strict_modes = false;
    // `superv daemon -c FILE -- CMD`: the program the command line makes
    // (named "main"). A [programs.main] table then sets that program's other
    // keys, starting from this program's values rather than the defaults;
    // a "command" in it is an error (the command line gives it).
    const ProgramConfig* main_program = nullptr;

    // StrictModes on when superv runs as root, unless $SUPERV_NO_STRICT_MODES
    // is set (to anything but "" or "0") or disable_strict_modes() was called.
    static LoadOptions defaults();
};

// `--no-strict-modes`: every later load with LoadOptions::defaults() skips
// the StrictModes checks (the daemon's reloads included).
void disable_strict_modes();

// Reads and validates the file at `path`, and the files it includes. Errors
// name `path` as the file; a file that cannot be read gives one error with
// line 0 ("FILE: message").
LoadResult load_file(const std::string& path, const LoadOptions& options);
LoadResult load_file(const std::string& path);  // LoadOptions::defaults()

// Validates TOML text; `source_name` is used as the file name in positions
// and its directory as the base of relative paths and include patterns.
LoadResult load_string(std::string_view text, const std::string& source_name,
                       const LoadOptions& options);
LoadResult load_string(std::string_view text, const std::string& source_name);

}  // namespace superv::config

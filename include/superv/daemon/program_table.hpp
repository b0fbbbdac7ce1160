// What the daemon supervises: the config's processes, plus `main` when a
// command was given on the command line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "superv/config/config.hpp"
#include "superv/config/loader.hpp"
#include "superv/config/processes.hpp"
#include "superv/daemon/daemon.hpp"

namespace superv::daemon {

// The implicit program for `superv daemon -- CMD ARGS...`: named "main",
// critical, never restarted, output to superv's own stdout/stderr; its grace
// after the stop signal is `options.stop_grace` (unlimited when unset), and
// with `options.signal_group` its whole process group is stopped and killed.
config::ProgramConfig main_program(const Options& options);

// Loads `options.config_path` (if not empty) and adds `main` for
// `options.main_command` (if not empty). A superv.toml's [programs.main]
// (without "command") sets main's keys over main_program's values, e.g. its
// stopwaitsecs. Errors are those of the loader, plus a supervisord.conf
// [program:main] beside the command.
config::LoadResult load_table(const Options& options);

}  // namespace superv::daemon

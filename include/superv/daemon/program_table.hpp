// What the daemon supervises: the config's processes, plus `main` when a
// command was given on the command line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "superv/config/config.hpp"
#include "superv/config/loader.hpp"
#include "superv/config/processes.hpp"

namespace superv::daemon {

// The implicit program for `superv daemon -- CMD ARGS...`: named "main",
// critical, never restarted, output to superv's own stdout/stderr.
config::ProgramConfig main_program(const std::vector<std::string>& command);

// Loads `path` (if not empty) and adds `main`. Errors are those of the loader,
// plus a clash of a configured program named "main" with the command.
config::LoadResult load_table(const std::string& path,
                              const std::vector<std::string>& main_command);

}  // namespace superv::daemon

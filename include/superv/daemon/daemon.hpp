// The daemon: one loop that owns the backend, reads signals through a
// signalfd, reaps orphans, and drives the supervisor through start-up,
// reload and shutdown.
#pragma once

#include <string>
#include <vector>

#include "superv/loop/backend.hpp"

namespace superv::daemon {

struct Options {
    std::string config_path;                // empty: no config file (only `-- CMD`)
    std::vector<std::string> main_command;  // `-- CMD ARGS...`: program "main", critical
    bool init_mode = false;                 // --init, or running as PID 1
    loop::BackendKind backend = loop::BackendKind::Auto;
};

// Runs until shutdown; returns the process exit code: the critical program's
// code (128+N when killed by signal N), else 0; 2 when the config is invalid
// or set-up fails.
int run(const Options& options);

}  // namespace superv::daemon

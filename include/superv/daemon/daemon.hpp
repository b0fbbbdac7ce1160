// The daemon: one loop that owns the backend, reads signals through a
// signalfd, reaps orphans, and drives the supervisor through start-up,
// reload and shutdown.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "superv/daemon/signal_plan.hpp"
#include "superv/loop/backend.hpp"

namespace superv::daemon {

struct Options {
    std::string config_path;                // empty: no config file (only `-- CMD`)
    std::vector<std::string> main_command;  // `-- CMD ARGS...`: program "main", critical
    bool init_mode = false;                 // --init, or running as PID 1
    loop::BackendKind backend = loop::BackendKind::Auto;

    // `-- CMD` mode: how the program's signals and exit are handled (superv
    // daemon's flags, or the tini and dumb-init command lines).
    SignalRules signals = SignalRules::defaults();
    bool signal_group = false;        // forward to the program's process group (tini -g)
    bool term_group_at_exit = false;  // SIGTERM what is left of it when it exits (dumb-init)
    // The grace after a forwarded SIGTERM before SIGKILL; unlimited when unset.
    std::optional<std::chrono::milliseconds> stop_grace;
    std::map<int, int> remap_exit;  // superv's exit code N becomes M (tini -e N: N to 0)
    int pdeathsig = 0;              // sent to superv when its parent dies (0: none)
    bool subreaper = true;          // PR_SET_CHILD_SUBREAPER when not PID 1
    std::string log_level;          // overrides the default and the config ("": none)
    std::string socket;             // the control socket asked for ("": see daemon.cpp)
    bool warn_on_reap = false;      // tini -w: a warning per orphan reaped
    // The exit code when the command cannot be executed; unset: the shell's
    // (126 when it is not executable, else 127).
    std::optional<int> exec_failure_code;
};

// Runs until shutdown; returns the process exit code: the critical program's
// code (128+N when killed by signal N), else 0; 2 when the config is invalid
// or set-up fails.
int run(const Options& options);

}  // namespace superv::daemon

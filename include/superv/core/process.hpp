// One supervised process: its spec, its lifecycle, and what the supervisor
// tracks to carry out the lifecycle's actions (the live pid, the tags of its
// pending exit wait and timer).
#pragma once

#include <signal.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "superv/config/processes.hpp"
#include "superv/core/health/health_probe.hpp"
#include "superv/core/health/health_state.hpp"
#include "superv/core/lifecycle.hpp"
#include "superv/core/process_id.hpp"
#include "superv/core/readiness_watch.hpp"
#include "superv/core/stdin_pipe.hpp"
#include "superv/log/process_output.hpp"

namespace superv::core {

struct Process {
    Process(ProcessId id, config::ProcessSpec spec)
        : id(id), spec(std::move(spec)), lifecycle(Policy::from(*this->spec.program)) {}

    ProcessId id;
    config::ProcessSpec spec;
    Lifecycle lifecycle;

    // From spawn until its exit is reaped; 0: no process. Its pidfd is the
    // effects' (effects.hpp): the supervisor names it by its id.
    pid_t live_pid = 0;
    // Captured stdout and stderr (see launch.hpp for the streams that are not).
    log::ProcessOutput output;
    // Its stdin (null: /dev/null, or superv's own for `main`): one pipe per
    // spawn, closed at its exit.
    std::unique_ptr<StdinPipe> stdin_pipe;
    siginfo_t exit_info{};  // the backend's exit wait writes here: address must not move

    std::uint32_t exit_gen = 0;         // tag generation of the pending exit wait (0: none)
    std::uint32_t timer_gen = 0;        // tag generation of the pending timer (0: none)
    std::uint32_t ready_timer_gen = 0;  // of the pending ready_timeout timer (0: none)
    // The current instance's readiness source (null: none, or done with).
    std::unique_ptr<ReadinessWatch> ready_watch;
    // Why its readiness failed ("not ready after 5 s"), once it did.
    std::string ready_error;
    // The last STATUS=... it sent on the notify socket (sd_notify), for status.
    std::string status_text;

    // Its health check (healthcheck): the current instance's health (none:
    // no check, or no instance), the run in progress, the one timer of the
    // next run or of the running one's timeout, and for `exec` the spec its
    // command is spawned with.
    std::optional<health::HealthState> health;
    std::unique_ptr<health::HealthProbe> health_probe;
    std::uint32_t health_timer_gen = 0;
    std::optional<config::ProcessSpec> health_check_spec;
    std::uint64_t health_restarts = 0;  // restarts because it turned unhealthy

    // The signal its next stop sends instead of its stopsignal (see
    // event::Stop); taken by that stop.
    int next_stop_signal = event::Stop::kPolicySignal;

    std::optional<ExitStatus> last_exit;
    std::string reason;  // why it is in its state, for status ("exit status 1", "execve: ...")
    std::chrono::system_clock::time_point since{};    // last state change (wall clock, for status)
    std::chrono::steady_clock::time_point started{};  // last spawn (for uptime)
    // For supervisord's getProcessInfo (wall clock; zero: never happened).
    std::chrono::system_clock::time_point last_start{};  // last successful spawn
    std::chrono::system_clock::time_point last_stop{};   // last exit, stopped or not
    // supervisord's spawnerr: cleared by a successful spawn; why the last
    // start failed ("Exited too quickly (process log may have details)",
    // superv's own reason for a spawn failure) or "Bad exit code N" after an
    // unexpected exit while RUNNING.
    std::string spawn_error;
    int spawn_errno = 0;  // the errno of the last failed spawn (0: it did not fail)

    State state() const { return lifecycle.state(); }
    pid_t pid() const { return live_pid; }
    bool live() const { return live_pid != 0; }
    int priority() const { return spec.priority; }
    // "web" for a program of its own, "backend:web" inside a group.
    std::string display_name() const {
        return spec.group == spec.name ? spec.name : spec.full_name();
    }
};

}  // namespace superv::core

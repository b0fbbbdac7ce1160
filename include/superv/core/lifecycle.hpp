// The lifecycle of one process as a pure state machine: an event goes in,
// actions come out. No system call, clock or log in here: the supervisor
// carries out the actions and feeds their results back as events. Each
// process has at most one timer (startsecs, back-off or grace period), so
// SetTimer replaces whatever timer was pending.
//
// Semantics follow supervisord (see docs in README, "States"):
//   STARTING -> RUNNING once the process has stayed up `startsecs`;
//   an exit or spawn failure while STARTING is a failed start: BACKOFF with an
//   exponential delay, or FATAL after `startretries` retries;
//   an exit while RUNNING is EXITED, then STARTING again per `autorestart`;
//   a stop sends `stopsignal`, waits `stopwaitsecs`, then SIGKILL.
#pragma once

#include <chrono>
#include <variant>
#include <vector>

#include "superv/config/config.hpp"
#include "superv/core/state.hpp"

namespace superv::core {

using Millis = std::chrono::milliseconds;

// How a process ended, as waitid(2) reports it.
struct ExitStatus {
    bool killed = false;  // true: ended by signal `code`; false: exit(code)
    int code = 0;
    bool operator==(const ExitStatus&) const = default;

    // The shell's convention: the exit code, or 128 + signal.
    int shell_code() const { return killed ? 128 + code : code; }
};

// The part of a program's config the lifecycle needs.
struct Policy {
    config::AutoRestart autorestart = config::AutoRestart::OnFailure;
    std::vector<int> exitcodes{0};
    Millis startsecs{1000};
    int startretries = 3;
    int stopsignal = 15;
    Millis stopwait{10000};
    bool stopasgroup = false;
    bool killasgroup = false;

    static Policy from(const config::ProgramConfig& program);
};

namespace event {
struct Start {};  // start requested (autostart, `start`, `restart`)
struct Stop {     // stop requested
    // The signal to send: kPolicySignal for the policy's stopsignal; 0 when
    // the caller has signalled the process already (superv forwarded its
    // own SIGTERM to `-- CMD`): only the grace period runs.
    int signal = -1;
    static constexpr int kPolicySignal = -1;
};
struct Spawned {};      // the Spawn action succeeded: the process runs
struct SpawnFailed {};  // the Spawn action failed (exec errno etc.)
struct Exited {         // the process ended and was reaped
    ExitStatus status;
};
struct TimerFired {};  // the pending timer expired
}  // namespace event

using Event = std::variant<event::Start, event::Stop, event::Spawned, event::SpawnFailed,
                           event::Exited, event::TimerFired>;

namespace action {
struct Become {  // the process entered `state` (several per event are possible)
    State state;
};
struct Spawn {};
struct Signal {
    int sig;
    bool to_group;  // the whole process group, not just the process
};
struct SetTimer {
    Millis delay;
};
struct ClearTimer {};
}  // namespace action

using Action = std::variant<action::Become, action::Spawn, action::Signal, action::SetTimer,
                            action::ClearTimer>;

// A stopwait of kUnlimitedWait arms no grace timer: the process gets all the
// time it needs (`-- CMD` mode: the orchestrator's SIGKILL is the deadline).
inline constexpr Millis kUnlimitedWait = Millis::max();

// Back-off before retry N (1-based): 1 s, 2 s, 4 s, ... capped at 60 s.
Millis backoff_delay(int retry);
inline constexpr Millis kMaxBackoff{60000};

class Lifecycle {
  public:
    explicit Lifecycle(Policy policy) : policy_(std::move(policy)) {}

    State state() const { return state_; }
    int failed_starts() const { return retries_; }
    const Policy& policy() const { return policy_; }

    // True when the last exit was one `autorestart = "on-failure"` counts as
    // expected (supervisord's "expected" flag).
    bool expected_exit(const ExitStatus& status) const;

    std::vector<Action> handle(const Event& event);

  private:
    void failed_start(std::vector<Action>& out);
    void become(State s, std::vector<Action>& out);
    bool should_restart(const ExitStatus& status) const;

    Policy policy_;
    State state_ = State::Stopped;
    int retries_ = 0;  // failed starts since the last successful one
};

}  // namespace superv::core

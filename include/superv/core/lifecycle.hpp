// The lifecycle of one process as a pure state machine: an event goes in,
// actions come out. No system call, clock or log in here: the supervisor
// carries out the actions and feeds their results back as events. Each
// process has at most two timers: the main one (startsecs, back-off or grace
// period; SetTimer replaces whatever main timer was pending) and the ready
// timer (`ready_timeout`, SetReadyTimer / ClearReadyTimer), which runs
// alongside startsecs.
//
// Semantics follow supervisord (see docs in README, "States"):
//   STARTING -> RUNNING once the process has stayed up `startsecs`;
//   an exit or spawn failure while STARTING is a failed start: BACKOFF with an
//   exponential delay, or FATAL after `startretries` retries;
//   an exit while RUNNING is EXITED, then STARTING again per `autorestart`;
//   a stop sends `stopsignal`, waits `stopwaitsecs`, then SIGKILL.
// Start order (interface.md, "Start order") adds, without new states:
//   with `ready`, STARTING -> RUNNING needs both startsecs and event::Ready;
//   not ready within `ready_timeout` (or a readiness source that can never
//   report, event::ReadyFailed): SIGKILL, and the exit is a failed start;
//   a oneshot is STARTING while it runs and EXITED (completed) once it exits
//   with a code in `exitcodes`; any other exit is a failed start.
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
    // `ready` is set: RUNNING waits for event::Ready (ignored for a oneshot,
    // whose readiness is its completion).
    bool needs_ready = false;
    Millis ready_timeout{90000};  // 0: wait for ever (no ready timer)
    bool oneshot = false;         // `type = "oneshot"`

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
struct TimerFired {};  // the pending main timer expired
// The process's readiness source reported it ready (READY=1, the fd's line,
// the connect, the log line, the first passing check).
struct Ready {};
struct ReadyTimeout {};  // the ready timer expired
// The readiness source can never report (the program closed its `ready` fd
// without writing a line): the same failed start as a timeout, sooner.
struct ReadyFailed {};
}  // namespace event

using Event =
    std::variant<event::Start, event::Stop, event::Spawned, event::SpawnFailed, event::Exited,
                 event::TimerFired, event::Ready, event::ReadyTimeout, event::ReadyFailed>;

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
// The ready timer, independent of the main one: SetReadyTimer arms it (it is
// never armed twice), ClearReadyTimer cancels it; a ClearReadyTimer always
// follows a SetReadyTimer, so a supervisor need not check.
struct SetReadyTimer {
    Millis delay;
};
struct ClearReadyTimer {};
}  // namespace action

using Action = std::variant<action::Become, action::Spawn, action::Signal, action::SetTimer,
                            action::ClearTimer, action::SetReadyTimer, action::ClearReadyTimer>;

// A stopwait of kUnlimitedWait arms no grace timer: the process gets all the
// time it needs (`-- CMD` mode: the orchestrator's SIGKILL is the deadline).
inline constexpr Millis kUnlimitedWait = Millis::max();

// Why the current (or, in BACKOFF / FATAL, the last) instance's start failed,
// where the supervisor cannot see it from the exit alone.
enum class ReadyFailure {
    None,     // no readiness failure: the start failed, if it did, by exit or exec
    Timeout,  // not ready within `ready_timeout`: "not ready after N s"
    Source,   // event::ReadyFailed: the readiness source gave up
};

// Back-off before retry N (1-based): 1 s, 2 s, 4 s, ... capped at 60 s.
Millis backoff_delay(int retry);
inline constexpr Millis kMaxBackoff{60000};

class Lifecycle {
  public:
    explicit Lifecycle(Policy policy) : policy_(std::move(policy)) {}

    State state() const { return state_; }
    int failed_starts() const { return retries_; }
    const Policy& policy() const { return policy_; }

    // The current instance is ready: reported by event::Ready (with
    // `needs_ready`) or RUNNING (without); it stays so through STOPPING and
    // ends with the instance (exit, or no process). A dependent's `ready`
    // condition is state() == RUNNING && ready(). For a oneshot, completed().
    bool ready() const { return policy_.oneshot ? completed() : ready_; }
    // A oneshot that exited with a code in `exitcodes` and was not started
    // again since: EXITED. False in every other state and for a Long program.
    bool completed() const { return policy_.oneshot && state_ == State::Exited; }
    // Set when the ready timer fires or the source fails (the SIGKILL is then
    // on its way); kept through BACKOFF / FATAL for the reason; reset by the
    // next spawn or by a Stop (the exit is then a stop, not a failed start).
    ReadyFailure ready_failure() const { return ready_failure_; }

    // True when the last exit was one `autorestart = "on-failure"` counts as
    // expected (supervisord's "expected" flag).
    bool expected_exit(const ExitStatus& status) const;

    std::vector<Action> handle(const Event& event);

  private:
    void on_start(std::vector<Action>& out);
    void on_stop(const event::Stop& stop, std::vector<Action>& out);
    void on_spawned(std::vector<Action>& out);
    void on_exited(const ExitStatus& status, std::vector<Action>& out);
    void on_timer(std::vector<Action>& out);
    void on_ready(std::vector<Action>& out);
    void on_ready_failure(ReadyFailure why, std::vector<Action>& out);

    void spawn(std::vector<Action>& out);
    void become_running(std::vector<Action>& out);
    void failed_start(std::vector<Action>& out);
    void clear_ready_timer(std::vector<Action>& out);
    void become(State s, std::vector<Action>& out);
    bool should_restart(const ExitStatus& status) const;
    // needs_ready, except for a oneshot (its readiness is its completion).
    bool waits_for_ready() const { return policy_.needs_ready && !policy_.oneshot; }

    Policy policy_;
    State state_ = State::Stopped;
    int retries_ = 0;  // failed starts since the last successful one
    // Facts of the current instance, reset by each spawn.
    bool up_ = false;                 // between Spawned and its exit: a process exists
    bool ready_ = false;              // see ready()
    bool startsecs_elapsed_ = false;  // up `startsecs` (no timer pending then)
    bool ready_timer_armed_ = false;
    ReadyFailure ready_failure_ = ReadyFailure::None;
};

}  // namespace superv::core

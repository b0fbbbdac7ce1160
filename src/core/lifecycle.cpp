#include "superv/core/lifecycle.hpp"

#include <algorithm>
#include <csignal>

namespace superv::core {

Policy Policy::from(const config::ProgramConfig& program) {
    Policy p;
    p.autorestart = program.autorestart;
    p.exitcodes = program.exitcodes;
    p.startsecs = program.startsecs;
    p.startretries = program.startretries;
    p.stopsignal = program.stopsignal;
    p.stopwait = program.stopwaitsecs;
    p.stopasgroup = program.stopasgroup;
    // supervisord: "killasgroup ... is implied by stopasgroup".
    p.killasgroup = program.killasgroup || program.stopasgroup;
    p.needs_ready = program.ready.kind != config::Readiness::Kind::None;
    p.ready_timeout = program.ready_timeout;
    p.oneshot = program.type == config::ProgramType::Oneshot;
    return p;
}

Millis backoff_delay(int retry) {
    if (retry < 1) retry = 1;
    if (retry > 7) return kMaxBackoff;  // 2^6 s already exceeds the cap
    return std::min(Millis(1000LL << (retry - 1)), kMaxBackoff);
}

bool Lifecycle::expected_exit(const ExitStatus& status) const {
    if (status.killed) return false;
    return std::find(policy_.exitcodes.begin(), policy_.exitcodes.end(), status.code) !=
           policy_.exitcodes.end();
}

bool Lifecycle::should_restart(const ExitStatus& status) const {
    switch (policy_.autorestart) {
        case config::AutoRestart::Always:
            return true;
        case config::AutoRestart::Never:
            return false;
        case config::AutoRestart::OnFailure:
            return !expected_exit(status);
    }
    return false;
}

void Lifecycle::become(State s, std::vector<Action>& out) {
    state_ = s;
    out.push_back(action::Become{s});
}

// Every new instance starts with no facts: not up, not ready, no failure.
void Lifecycle::spawn(std::vector<Action>& out) {
    up_ = false;
    ready_ = false;
    startsecs_elapsed_ = false;
    ready_failure_ = ReadyFailure::None;
    out.push_back(action::Spawn{});
}

void Lifecycle::become_running(std::vector<Action>& out) {
    retries_ = 0;
    ready_ = true;  // with needs_ready it already is; without, RUNNING is ready
    become(State::Running, out);
}

void Lifecycle::clear_ready_timer(std::vector<Action>& out) {
    if (!ready_timer_armed_) return;
    ready_timer_armed_ = false;
    out.push_back(action::ClearReadyTimer{});
}

// A start that did not last `startsecs`, did not become ready in time, or
// could not exec at all; for a oneshot, any exit but a successful one.
void Lifecycle::failed_start(std::vector<Action>& out) {
    ++retries_;
    if (retries_ > policy_.startretries) {
        out.push_back(action::ClearTimer{});
        become(State::Fatal, out);
        return;
    }
    become(State::Backoff, out);
    out.push_back(action::SetTimer{backoff_delay(retries_)});
}

void Lifecycle::on_start(std::vector<Action>& out) {
    const State s = state_;
    if (s == State::Stopped || s == State::Exited || s == State::Fatal || s == State::Backoff) {
        // An explicit start forgets earlier failures, as in supervisord.
        retries_ = 0;
        if (s == State::Backoff) out.push_back(action::ClearTimer{});
        become(State::Starting, out);
        spawn(out);
    }
    // STARTING, RUNNING, STOPPING: nothing to do
}

void Lifecycle::on_stop(const event::Stop& stop, std::vector<Action>& out) {
    const State s = state_;
    if (s == State::Starting || s == State::Running) {
        // The exit to come is a stop, not a failed start of any kind.
        ready_failure_ = ReadyFailure::None;
        clear_ready_timer(out);
        become(State::Stopping, out);
        const int sig =
            stop.signal == event::Stop::kPolicySignal ? policy_.stopsignal : stop.signal;
        if (sig != 0) out.push_back(action::Signal{sig, policy_.stopasgroup});
        if (policy_.stopwait != kUnlimitedWait) out.push_back(action::SetTimer{policy_.stopwait});
    } else if (s == State::Backoff) {
        ready_failure_ = ReadyFailure::None;
        out.push_back(action::ClearTimer{});
        become(State::Stopped, out);
    }
}

void Lifecycle::on_spawned(std::vector<Action>& out) {
    if (state_ != State::Starting || up_) return;  // one Spawned per Spawn
    up_ = true;
    // A oneshot's success is its exit: no startsecs, no readiness.
    if (policy_.oneshot) return;
    if (policy_.startsecs.count() > 0) {
        out.push_back(action::SetTimer{policy_.startsecs});
    } else {
        startsecs_elapsed_ = true;
    }
    if (waits_for_ready() && policy_.ready_timeout.count() > 0) {
        ready_timer_armed_ = true;
        out.push_back(action::SetReadyTimer{policy_.ready_timeout});
    }
    if (startsecs_elapsed_ && !waits_for_ready()) become_running(out);
}

void Lifecycle::on_exited(const ExitStatus& status, std::vector<Action>& out) {
    up_ = false;
    ready_ = false;
    switch (state_) {
        case State::Starting:
            clear_ready_timer(out);
            if (policy_.oneshot && expected_exit(status)) {
                retries_ = 0;
                become(State::Exited, out);  // completed; no timer is pending
            } else {
                failed_start(out);
            }
            break;
        case State::Running:
            become(State::Exited, out);
            if (should_restart(status)) {
                become(State::Starting, out);
                spawn(out);
            }
            break;
        case State::Stopping:  // the Stop cleared the ready timer
            out.push_back(action::ClearTimer{});
            become(State::Stopped, out);
            break;
        default:
            break;  // no process in the other states
    }
}

void Lifecycle::on_timer(std::vector<Action>& out) {
    switch (state_) {
        case State::Starting:
            // A oneshot arms no startsecs timer, and a dying instance is not
            // up for the purpose of startsecs: a stale firing for either.
            if (policy_.oneshot || !up_ || ready_failure_ != ReadyFailure::None) break;
            startsecs_elapsed_ = true;
            if (!waits_for_ready() || ready_) become_running(out);
            break;
        case State::Backoff:
            become(State::Starting, out);
            spawn(out);
            break;
        case State::Stopping:
            // The grace period is over. SIGKILL cannot be ignored, so no
            // further timer: the exit wait already pending will complete.
            out.push_back(action::Signal{SIGKILL, policy_.killasgroup});
            break;
        default:
            break;
    }
}

void Lifecycle::on_ready(std::vector<Action>& out) {
    // Only the first report of a live, starting instance counts: later ones,
    // and ones for an instance already on its way out, change nothing.
    if (state_ != State::Starting || !waits_for_ready() || !up_ || ready_ ||
        ready_failure_ != ReadyFailure::None) {
        return;
    }
    ready_ = true;
    clear_ready_timer(out);
    if (startsecs_elapsed_) become_running(out);
}

// The instance cannot become ready: end it at once. The exit wait is always
// pending while a process is up, so its Exited follows and counts as the
// failed start (STARTING + Exited); until then, late timers and reports of
// readiness are ignored.
void Lifecycle::on_ready_failure(ReadyFailure why, std::vector<Action>& out) {
    if (why == ReadyFailure::Timeout) {
        // Fired, so no longer armed; not armed before: a stale firing.
        if (!ready_timer_armed_) return;
        ready_timer_armed_ = false;
    }
    if (state_ != State::Starting || !waits_for_ready() || !up_ || ready_ ||
        ready_failure_ != ReadyFailure::None) {
        return;
    }
    ready_failure_ = why;
    clear_ready_timer(out);
    if (!startsecs_elapsed_) out.push_back(action::ClearTimer{});
    out.push_back(action::Signal{SIGKILL, policy_.killasgroup});
}

std::vector<Action> Lifecycle::handle(const Event& ev) {
    std::vector<Action> out;
    if (std::holds_alternative<event::Start>(ev)) {
        on_start(out);
    } else if (const auto* stop = std::get_if<event::Stop>(&ev)) {
        on_stop(*stop, out);
    } else if (std::holds_alternative<event::Spawned>(ev)) {
        on_spawned(out);
    } else if (std::holds_alternative<event::SpawnFailed>(ev)) {
        // Once Spawned, the instance runs: only its exit ends the start.
        if (state_ == State::Starting && !up_) failed_start(out);
    } else if (const auto* exited = std::get_if<event::Exited>(&ev)) {
        on_exited(exited->status, out);
    } else if (std::holds_alternative<event::TimerFired>(ev)) {
        on_timer(out);
    } else if (std::holds_alternative<event::Ready>(ev)) {
        on_ready(out);
    } else if (std::holds_alternative<event::ReadyTimeout>(ev)) {
        on_ready_failure(ReadyFailure::Timeout, out);
    } else if (std::holds_alternative<event::ReadyFailed>(ev)) {
        on_ready_failure(ReadyFailure::Source, out);
    }
    return out;
}

}  // namespace superv::core

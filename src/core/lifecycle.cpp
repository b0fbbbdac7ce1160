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

// A start that did not last `startsecs` (or could not exec at all).
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

std::vector<Action> Lifecycle::handle(const Event& ev) {
    std::vector<Action> out;
    const State s = state_;

    if (std::holds_alternative<event::Start>(ev)) {
        if (s == State::Stopped || s == State::Exited || s == State::Fatal || s == State::Backoff) {
            // An explicit start forgets earlier failures, as in supervisord.
            retries_ = 0;
            if (s == State::Backoff) out.push_back(action::ClearTimer{});
            become(State::Starting, out);
            out.push_back(action::Spawn{});
        }
        return out;  // STARTING, RUNNING, STOPPING: nothing to do
    }

    if (const auto* stop = std::get_if<event::Stop>(&ev)) {
        if (s == State::Starting || s == State::Running) {
            become(State::Stopping, out);
            const int sig =
                stop->signal == event::Stop::kPolicySignal ? policy_.stopsignal : stop->signal;
            if (sig != 0) out.push_back(action::Signal{sig, policy_.stopasgroup});
            if (policy_.stopwait != kUnlimitedWait) {
                out.push_back(action::SetTimer{policy_.stopwait});
            }
        } else if (s == State::Backoff) {
            out.push_back(action::ClearTimer{});
            become(State::Stopped, out);
        }
        return out;
    }

    if (std::holds_alternative<event::Spawned>(ev)) {
        if (s != State::Starting) return out;
        if (policy_.startsecs.count() <= 0) {
            retries_ = 0;
            become(State::Running, out);
        } else {
            out.push_back(action::SetTimer{policy_.startsecs});
        }
        return out;
    }

    if (std::holds_alternative<event::SpawnFailed>(ev)) {
        if (s == State::Starting) failed_start(out);
        return out;
    }

    if (const auto* exited = std::get_if<event::Exited>(&ev)) {
        switch (s) {
            case State::Starting:
                failed_start(out);
                break;
            case State::Running:
                become(State::Exited, out);
                if (should_restart(exited->status)) {
                    become(State::Starting, out);
                    out.push_back(action::Spawn{});
                }
                break;
            case State::Stopping:
                out.push_back(action::ClearTimer{});
                become(State::Stopped, out);
                break;
            default:
                break;  // no process in the other states
        }
        return out;
    }

    // TimerFired
    switch (s) {
        case State::Starting:
            retries_ = 0;
            become(State::Running, out);
            break;
        case State::Backoff:
            become(State::Starting, out);
            out.push_back(action::Spawn{});
            break;
        case State::Stopping:
            // The grace period is over. SIGKILL cannot be ignored, so no
            // further timer: the exit wait already pending will complete.
            out.push_back(action::Signal{SIGKILL, policy_.killasgroup});
            break;
        default:
            break;
    }
    return out;
}

}  // namespace superv::core

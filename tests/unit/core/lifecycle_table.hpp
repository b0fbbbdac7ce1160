// What the lifecycle tests share: a policy to vary, exit statuses, and the
// text form of actions that lets each test read as a row of a table.
#pragma once

#include <csignal>
#include <initializer_list>
#include <string>
#include <vector>

#include "superv/core/lifecycle.hpp"

namespace superv::core::lifecycle_table {

using config::AutoRestart;
using std::chrono::milliseconds;

inline Policy policy(config::AutoRestart restart = config::AutoRestart::OnFailure,
                     int startretries = 3) {
    Policy p;
    p.autorestart = restart;
    p.exitcodes = {0, 2};
    p.startsecs = milliseconds(1000);
    p.startretries = startretries;
    p.stopsignal = SIGTERM;
    p.stopwait = milliseconds(5000);
    return p;
}

inline ExitStatus code(int c) {
    return ExitStatus{false, c};
}
inline ExitStatus signal(int s) {
    return ExitStatus{true, s};
}

// A Long program with `ready` (startsecs 1 s, as policy()).
inline Policy ready_policy(milliseconds timeout = milliseconds(30000), int startretries = 3) {
    Policy p = policy(config::AutoRestart::OnFailure, startretries);
    p.needs_ready = true;
    p.ready_timeout = timeout;
    return p;
}

// A oneshot (exitcodes 0 and 2, as policy()).
inline Policy oneshot_policy(int startretries = 3,
                             config::AutoRestart restart = config::AutoRestart::OnFailure) {
    Policy p = policy(restart, startretries);
    p.oneshot = true;
    return p;
}

inline const Event kStart = event::Start{};
inline const Event kStop = event::Stop{};
inline const Event kSpawned = event::Spawned{};
inline const Event kSpawnFailed = event::SpawnFailed{};
inline const Event kTimer = event::TimerFired{};
inline const Event kReady = event::Ready{};
inline const Event kReadyTimeout = event::ReadyTimeout{};
inline const Event kReadyFailed = event::ReadyFailed{};
inline Event exited(ExitStatus status) {
    return event::Exited{status};
}

inline std::string describe(const Action& a) {
    if (const auto* b = std::get_if<action::Become>(&a)) {
        return "Become(" + std::string(state_name(b->state)) + ")";
    }
    if (std::holds_alternative<action::Spawn>(a)) return "Spawn";
    if (const auto* s = std::get_if<action::Signal>(&a)) {
        return "Signal(" + std::to_string(s->sig) + (s->to_group ? ",group)" : ")");
    }
    if (const auto* t = std::get_if<action::SetTimer>(&a)) {
        return "Timer(" + std::to_string(t->delay.count()) + ")";
    }
    if (std::holds_alternative<action::ClearTimer>(a)) return "ClearTimer";
    if (const auto* r = std::get_if<action::SetReadyTimer>(&a)) {
        return "ReadyTimer(" + std::to_string(r->delay.count()) + ")";
    }
    return "ClearReadyTimer";
}

// Compact text form of an action list: "Become(STARTING) Spawn Timer(1000)".
inline std::string describe(const std::vector<Action>& actions) {
    std::string out;
    for (const auto& a : actions) {
        if (!out.empty()) out += ' ';
        out += describe(a);
    }
    return out;
}

// The actions of each event in turn, one " | " apart ("-" for none), so a
// whole run reads as one line: "Become(STARTING) Spawn | Timer(1000) | -".
inline std::string trace(Lifecycle& lc, std::initializer_list<Event> events) {
    std::string out;
    for (const auto& ev : events) {
        if (!out.empty()) out += " | ";
        const std::string step = describe(lc.handle(ev));
        out += step.empty() ? "-" : step;
    }
    return out;
}

// "RUNNING ready", "EXITED ready completed": the state and the facts beside it.
inline std::string facts_of(const Lifecycle& lc) {
    return std::string(state_name(lc.state())) + (lc.ready() ? " ready" : " -") +
           (lc.completed() ? " completed" : "");
}

}  // namespace superv::core::lifecycle_table

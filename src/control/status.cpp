#include "superv/control/status.hpp"

#include <cstdio>

#include "superv/common/signal_names.hpp"

namespace superv::control {

std::string format_uptime(std::chrono::seconds up) {
    const long long s = up.count() < 0 ? 0 : up.count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
    return buf;
}

Json status_json(const core::Process& p, std::chrono::steady_clock::time_point now) {
    using core::State;
    using std::chrono::duration_cast;
    using std::chrono::seconds;
    Json j;
    j["name"] = p.spec.name;
    j["group"] = p.spec.group;
    j["state"] = core::state_name(p.state());
    j["pid"] = p.pid();
    j["exitstatus"] = nullptr;
    j["signal"] = nullptr;
    if (p.last_exit) {
        if (p.last_exit->killed) {
            j["signal"] = p.last_exit->code;
        } else {
            j["exitstatus"] = p.last_exit->code;
        }
    }
    j["since"] = duration_cast<seconds>(p.since.time_since_epoch()).count();
    j["uptime"] = nullptr;

    std::string description;
    switch (p.state()) {
        case State::Running: {
            const auto up = duration_cast<seconds>(now - p.started);
            j["uptime"] = up.count();
            description = "pid " + std::to_string(p.pid()) + ", uptime " + format_uptime(up);
            break;
        }
        case State::Starting:
        case State::Stopping:
            description = "pid " + std::to_string(p.pid());
            break;
        case State::Stopped:
            // Also what it waits for ("waiting for db (ready)") or what
            // keeps it down ("dependency db is FATAL").
            description = p.reason.empty() ? "Not started" : p.reason;
            break;
        default:
            description = p.reason;
    }
    // sd_notify's STATUS=, as systemctl status shows it.
    if (!p.status_text.empty() && p.live()) description += " (" + p.status_text + ")";
    j["description"] = description;
    j["ready"] = p.lifecycle.ready();
    if (!p.status_text.empty()) j["status_text"] = p.status_text;
    if (p.lifecycle.policy().oneshot) j["type"] = "oneshot";
    return j;
}

}  // namespace superv::control

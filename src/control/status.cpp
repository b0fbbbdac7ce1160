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

namespace {
// The `health` object: the instance's health and its last check, or only
// the restarts count when no instance runs.
Json health_json(const core::Process& p, std::chrono::steady_clock::time_point now) {
    using std::chrono::duration_cast;
    Json h;
    h["status"] = nullptr;
    h["failures"] = 0;
    h["checks"] = 0;
    h["last"] = nullptr;
    h["since"] = nullptr;
    h["restarts"] = p.health_restarts;
    if (!p.health) return h;
    const core::health::HealthState& health = *p.health;
    h["status"] = core::health::health_name(health.health());
    h["failures"] = health.failures();
    h["checks"] = health.checks();
    // The last change on the wall clock, as `since` of the process.
    const auto changed = std::chrono::system_clock::now() - (now - health.since());
    h["since"] = duration_cast<std::chrono::seconds>(changed.time_since_epoch()).count();
    if (const auto& last = health.last()) {
        h["last"] = {{"passed", last->passed},
                     {"detail", last->detail},
                     {"latency_ms", static_cast<double>(last->latency.count()) / 1000.0}};
    }
    return h;
}
}  // namespace

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
    // "healthy", "unhealthy (3 failures: ...)", "health starting": not the STARTING state.
    if (p.health && p.live()) {
        const bool starting = p.health->health() == core::health::Health::Starting;
        description += (starting ? ", health " : ", ") + p.health->describe();
    }
    j["description"] = description;
    j["ready"] = p.lifecycle.ready();
    j["healthy"] = nullptr;
    if (p.spec.program->healthcheck.kind != config::HealthCheck::Kind::None) {
        j["health"] = health_json(p, now);
        if (p.health && p.health->health() != core::health::Health::Starting) {
            j["healthy"] = p.health->health() == core::health::Health::Healthy;
        }
    }
    if (!p.status_text.empty()) j["status_text"] = p.status_text;
    if (p.lifecycle.policy().oneshot) j["type"] = "oneshot";
    return j;
}

}  // namespace superv::control

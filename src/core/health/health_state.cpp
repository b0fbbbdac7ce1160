#include "superv/core/health/health_state.hpp"

namespace superv::core::health {

HealthState::HealthState(const config::HealthCheck& check, loop::Clock::time_point spawned)
    : retries_(check.retries < 1 ? 1 : check.retries),
      grace_end_(spawned + check.start_period),
      since_(spawned) {}

HealthState::Change HealthState::record(CheckResult result, loop::Clock::time_point now) {
    ++checks_;
    const bool passed = result.passed;
    last_ = std::move(result);
    Change change = Change::None;
    if (passed) {
        failures_ = 0;
        if (health_ != Health::Healthy) {
            health_ = Health::Healthy;
            change = Change::BecameHealthy;
        }
    } else if (now >= grace_end_ || health_ == Health::Healthy) {
        // Once healthy, start_period is over for this instance (as Docker).
        if (++failures_ >= retries_ && health_ != Health::Unhealthy) {
            health_ = Health::Unhealthy;
            change = Change::BecameUnhealthy;
        }
    }
    if (change != Change::None) since_ = now;
    return change;
}

std::string_view health_name(Health health) {
    switch (health) {
        case Health::Starting:
            return "starting";
        case Health::Healthy:
            return "healthy";
        case Health::Unhealthy:
            return "unhealthy";
    }
    return "starting";
}

std::string HealthState::describe() const {
    std::string text(health_name(health_));
    if (health_ == Health::Healthy || !last_ || last_->passed) return text;
    // Failures that counted, if any (none yet within start_period).
    if (failures_ == 0) return text + " (" + last_->detail + ")";
    const std::string count =
        failures_ == 1 ? "1 failure" : std::to_string(failures_) + " failures";
    return text + " (" + count + ": " + last_->detail + ")";
}

}  // namespace superv::core::health

// The health of one process instance, from the results of its checks
// (Docker's rules): "starting" until a check passes or, after start_period,
// `retries` checks in a row fail; then healthy or unhealthy, changing with
// the next pass or the next `retries` failures in a row. Failures that end
// within start_period of the spawn do not count (a pass still does). Pure:
// results in, changes out, no sockets and no clock of its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "superv/config/config.hpp"
#include "superv/loop/backend.hpp"

namespace superv::core::health {

struct CheckResult {
    bool passed = false;
    std::string
        detail;  // why it failed ("connect: Connection refused"), or what passed ("HTTP 200")
    std::chrono::microseconds latency{0};
};

enum class Health { Starting, Healthy, Unhealthy };

class HealthState {
  public:
    enum class Change { None, BecameHealthy, BecameUnhealthy };

    HealthState() = default;
    explicit HealthState(const config::HealthCheck& check, loop::Clock::time_point spawned);

    Change record(CheckResult result, loop::Clock::time_point now);

    Health health() const { return health_; }
    // Consecutive failures that counted (the ones in start_period do not).
    int failures() const { return failures_; }
    std::uint64_t checks() const { return checks_; }
    const std::optional<CheckResult>& last() const { return last_; }
    // When health() last changed (the spawn, before any change).
    loop::Clock::time_point since() const { return since_; }

    // For status: "healthy", "starting", "unhealthy (3 failures: connect: ...)".
    std::string describe() const;

  private:
    int retries_ = 3;
    loop::Clock::time_point grace_end_{};
    Health health_ = Health::Starting;
    int failures_ = 0;
    std::uint64_t checks_ = 0;
    std::optional<CheckResult> last_;
    loop::Clock::time_point since_{};
};

std::string_view health_name(Health health);

}  // namespace superv::core::health

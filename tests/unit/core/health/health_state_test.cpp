// Docker's health rules as a table of results: no sockets, no clock.
#include "superv/core/health/health_state.hpp"

#include <gtest/gtest.h>

namespace superv::core::health {
namespace {

using namespace std::chrono_literals;
using Change = HealthState::Change;

config::HealthCheck check(int retries, config::Millis start_period = 0ms) {
    config::HealthCheck c;
    c.kind = config::HealthCheck::Kind::Tcp;
    c.retries = retries;
    c.start_period = start_period;
    return c;
}

const loop::Clock::time_point t0{};
CheckResult pass() {
    return {true, "HTTP 200", 1ms};
}
CheckResult fail(std::string why = "connect: Connection refused") {
    return {false, std::move(why), 1ms};
}

TEST(HealthState, StartsStartingAndTurnsHealthyAtTheFirstPass) {
    HealthState h(check(3), t0);
    EXPECT_EQ(h.health(), Health::Starting);
    EXPECT_EQ(h.describe(), "starting");
    EXPECT_EQ(h.record(pass(), t0 + 10s), Change::BecameHealthy);
    EXPECT_EQ(h.health(), Health::Healthy);
    EXPECT_EQ(h.since(), t0 + 10s);
    EXPECT_EQ(h.record(pass(), t0 + 20s), Change::None);
    EXPECT_EQ(h.describe(), "healthy");
    EXPECT_EQ(h.checks(), 2u);
}

TEST(HealthState, TurnsUnhealthyAfterRetriesFailuresInARow) {
    HealthState h(check(3), t0);
    ASSERT_EQ(h.record(pass(), t0 + 1s), Change::BecameHealthy);
    EXPECT_EQ(h.record(fail(), t0 + 2s), Change::None);
    EXPECT_EQ(h.record(fail(), t0 + 3s), Change::None);
    EXPECT_EQ(h.failures(), 2);
    EXPECT_EQ(h.health(), Health::Healthy);
    EXPECT_EQ(h.record(fail(), t0 + 4s), Change::BecameUnhealthy);
    EXPECT_EQ(h.describe(), "unhealthy (3 failures: connect: Connection refused)");
    // More failures change nothing; a pass heals.
    EXPECT_EQ(h.record(fail("timed out after 2 s"), t0 + 5s), Change::None);
    EXPECT_EQ(h.describe(), "unhealthy (4 failures: timed out after 2 s)");
    EXPECT_EQ(h.record(pass(), t0 + 6s), Change::BecameHealthy);
    EXPECT_EQ(h.failures(), 0);
}

TEST(HealthState, APassResetsTheCountOfFailures) {
    HealthState h(check(2), t0);
    EXPECT_EQ(h.record(fail(), t0 + 1s), Change::None);
    EXPECT_EQ(h.record(pass(), t0 + 2s), Change::BecameHealthy);
    EXPECT_EQ(h.record(fail(), t0 + 3s), Change::None);
    EXPECT_EQ(h.record(pass(), t0 + 4s), Change::None);
    EXPECT_EQ(h.record(fail(), t0 + 5s), Change::None);
    EXPECT_EQ(h.health(), Health::Healthy);
}

TEST(HealthState, NeverHealthyTurnsUnhealthyToo) {
    HealthState h(check(2), t0);
    EXPECT_EQ(h.record(fail(), t0 + 1s), Change::None);
    EXPECT_EQ(h.describe(), "starting (1 failure: connect: Connection refused)");
    EXPECT_EQ(h.record(fail(), t0 + 2s), Change::BecameUnhealthy);
}

TEST(HealthState, FailuresInTheStartPeriodDoNotCount) {
    HealthState h(check(1, 30s), t0);
    EXPECT_EQ(h.record(fail(), t0 + 10s), Change::None);
    EXPECT_EQ(h.record(fail(), t0 + 29s), Change::None);
    EXPECT_EQ(h.failures(), 0);
    EXPECT_EQ(h.describe(), "starting (connect: Connection refused)");
    EXPECT_EQ(h.record(fail(), t0 + 30s), Change::BecameUnhealthy);
}

TEST(HealthState, APassEndsTheStartPeriod) {
    HealthState h(check(1, 30s), t0);
    EXPECT_EQ(h.record(pass(), t0 + 5s), Change::BecameHealthy);
    EXPECT_EQ(h.record(fail(), t0 + 10s), Change::BecameUnhealthy);
}

}  // namespace
}  // namespace superv::core::health

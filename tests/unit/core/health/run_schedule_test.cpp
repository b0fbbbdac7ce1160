// next_run: never early, at most 1 % of the interval late, and runs of one
// interval that end at different instants share a start.
#include "superv/core/health/run_schedule.hpp"

#include <gtest/gtest.h>

#include <set>

namespace superv::core::health {
namespace {

using namespace std::chrono_literals;
using loop::Clock;

TEST(RunSchedule, IsNeverEarlyAndAtMostOnePercentLate) {
    for (const auto interval : {1ms, 50ms, 1000ms, 10000ms, 3600000ms}) {
        for (const auto offset : {0ns, 1ns, 999'999ns, 123'456'789ns, 7'000'000'001ns}) {
            const Clock::time_point from{offset + 86400s};
            const Clock::time_point at = next_run(from, interval);
            EXPECT_GE(at, from + interval) << interval.count() << " ms from " << offset.count();
            EXPECT_LT(at - (from + interval), run_slack(interval));
            EXPECT_EQ(at.time_since_epoch() % run_slack(interval), 0ns);
        }
    }
}

TEST(RunSchedule, TheSlackIsOnePercentBetweenAMillisecondAndASecond) {
    EXPECT_EQ(run_slack(10ms), 1ms);
    EXPECT_EQ(run_slack(1000ms), 10ms);
    EXPECT_EQ(run_slack(10000ms), 100ms);
    EXPECT_EQ(run_slack(3600000ms), 1s);
}

TEST(RunSchedule, ChecksEndingWithinOneSlackStartTogether) {
    std::set<Clock::time_point> starts;
    const Clock::time_point base{86400s};
    for (int i = 0; i < 1000; ++i)  // a thousand runs ending 10 us apart: within 10 ms
        starts.insert(next_run(base + i * 10us, 1000ms));
    EXPECT_LE(starts.size(), 2u);
}

TEST(RunSchedule, AStartOnTheGridStaysThere) {
    const Clock::time_point from{86400s};
    EXPECT_EQ(next_run(from, 1000ms), from + 1000ms);
}

}  // namespace
}  // namespace superv::core::health

// When a health check runs next: `interval` after `from`, rounded up to a
// grid of 1 % of the interval (at least 1 ms, at most 1 s) on the monotonic
// clock. The runs of many checks with the same interval then fall on the
// same instants and one wake-up serves them all, as systemd's AccuracySec
// and the kernel's timer slack coalesce timers: a run is never early and at
// most 1 % of its interval late.
#pragma once

#include <algorithm>
#include <chrono>

#include "superv/loop/backend.hpp"

namespace superv::core::health {

inline loop::Clock::duration run_slack(std::chrono::milliseconds interval) {
    using namespace std::chrono_literals;
    return std::clamp<loop::Clock::duration>(interval / 100, 1ms, 1s);
}

inline loop::Clock::time_point next_run(loop::Clock::time_point from,
                                        std::chrono::milliseconds interval) {
    const loop::Clock::duration slack = run_slack(interval);
    const loop::Clock::duration at = (from + interval).time_since_epoch();
    const auto steps = (at + slack - loop::Clock::duration{1}) / slack;  // rounded up
    return loop::Clock::time_point(steps * slack);
}

}  // namespace superv::core::health

// Seconds as written in a config or on the command line, to whole milliseconds,
// without libm: the lean build then maps no libm.so for one rounding call.
#pragma once

#include <cstdint>

namespace superv {

// std::llround(value): the nearest integer, halves away from zero. For
// |value| < 2^63; a double's fraction (value - trunc) is exact, and from 2^52
// up every double is an integer.
constexpr std::int64_t round_half_away(double value) {
    auto whole = static_cast<std::int64_t>(value);  // truncates toward zero
    const double fraction = value - static_cast<double>(whole);
    if (fraction >= 0.5) ++whole;
    if (fraction <= -0.5) --whole;
    return whole;
}

// std::llround(seconds * 1000), for 0 <= seconds <= 1e9 as the readers allow.
constexpr std::int64_t seconds_to_millis(double seconds) {
    return round_half_away(seconds * 1000);
}

}  // namespace superv

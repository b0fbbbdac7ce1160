// seconds_to_millis and round_half_away give what std::llround gives: the
// readers of durations use them so the lean build needs no libm.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "load_helpers.hpp"
#include "superv/common/round.hpp"

namespace superv {
namespace {

using namespace std::chrono_literals;

TEST(RoundHalfAway, HalvesGoAwayFromZero) {
    EXPECT_EQ(round_half_away(0.5), 1);
    EXPECT_EQ(round_half_away(1.5), 2);
    EXPECT_EQ(round_half_away(2.5), 3);
    EXPECT_EQ(round_half_away(-0.5), -1);
    EXPECT_EQ(round_half_away(-2.5), -3);
    EXPECT_EQ(round_half_away(0.49999999999999994), 0);  // the double just below 0.5
    EXPECT_EQ(round_half_away(-0.49999999999999994), 0);
    EXPECT_EQ(round_half_away(2.4999999999999996), 2);
}

TEST(RoundHalfAway, SmallNegativeAndZero) {
    EXPECT_EQ(round_half_away(0.0), 0);
    EXPECT_EQ(round_half_away(-0.0), 0);
    EXPECT_EQ(round_half_away(-1.4), -1);
    EXPECT_EQ(round_half_away(-1.6), -2);
    EXPECT_EQ(round_half_away(1e-300), 0);
}

TEST(RoundHalfAway, LargeValuesAreAlreadyWhole) {
    const double two52 = 4503599627370496.0;  // from here on every double is an integer
    EXPECT_EQ(round_half_away(two52 - 0.5), 4503599627370496);
    EXPECT_EQ(round_half_away(two52 - 1.5), 4503599627370495);  // .5 still exact below 2^52
    EXPECT_EQ(round_half_away(two52 + 1), 4503599627370497);
    EXPECT_EQ(round_half_away(-(two52 + 1)), -4503599627370497);
    EXPECT_EQ(round_half_away(9.2233720368547748e18), 9223372036854774784);  // below 2^63
    EXPECT_EQ(round_half_away(1e12), 1000000000000);
}

TEST(RoundHalfAway, MatchesLlroundOnHalvesAndNeighbours) {
    for (std::int64_t n = -20000; n <= 20000; ++n) {
        const double half = static_cast<double>(n) + 0.5;
        for (double x : {half, std::nextafter(half, -1e300), std::nextafter(half, 1e300)}) {
            ASSERT_EQ(round_half_away(x), std::llround(x)) << x;
        }
    }
}

TEST(RoundHalfAway, MatchesLlroundOnRandomDoubles) {
    std::mt19937_64 random(20261202);
    std::uniform_real_distribution<double> span(-1e15, 1e15);
    std::uniform_int_distribution<int> exponent(-30, 62);
    for (int i = 0; i < 200000; ++i) {
        const double x = span(random);
        ASSERT_EQ(round_half_away(x), std::llround(x)) << x;
        const double scaled = std::ldexp(span(random) / 1e15, exponent(random));
        ASSERT_EQ(round_half_away(scaled), std::llround(scaled)) << scaled;
    }
}

TEST(SecondsToMillis, MatchesTheDurationsTheReadersAccept) {
    EXPECT_EQ(seconds_to_millis(0), 0);
    EXPECT_EQ(seconds_to_millis(1.0005), 1001);  // 1000.5
    EXPECT_EQ(seconds_to_millis(1.0005), std::llround(1.0005 * 1000));
    EXPECT_EQ(seconds_to_millis(0.0005), 1);
    EXPECT_EQ(seconds_to_millis(0.0004999), 0);
    EXPECT_EQ(seconds_to_millis(2.5), 2500);
    EXPECT_EQ(seconds_to_millis(1e9), 1000000000000);
    for (int ms = 0; ms < 100000; ++ms) {
        const double seconds = ms / 1000.0;
        ASSERT_EQ(seconds_to_millis(seconds), ms) << seconds;
        ASSERT_EQ(seconds_to_millis(seconds + 0.0005), std::llround((seconds + 0.0005) * 1000));
    }
}

TEST(SecondsToMillis, UsedByTheTomlAndIniReaders) {
    using config::test_support::program_from;
    EXPECT_EQ(program_from("stopwaitsecs = 0.0015\n").stopwaitsecs, 2ms);
    EXPECT_EQ(program_from("stopwaitsecs = 1000000000\n").stopwaitsecs, 1000000000000ms);
}

}  // namespace
}  // namespace superv

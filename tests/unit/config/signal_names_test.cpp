#include "superv/common/signal_names.hpp"

#include <gtest/gtest.h>

#include <csignal>

namespace superv {
namespace {

TEST(ParseSignal, AcceptsNameWithOrWithoutSigPrefixInAnyCase) {
    EXPECT_EQ(parse_signal("TERM"), SIGTERM);
    EXPECT_EQ(parse_signal("SIGTERM"), SIGTERM);
    EXPECT_EQ(parse_signal("term"), SIGTERM);
    EXPECT_EQ(parse_signal("sigHup"), SIGHUP);
    EXPECT_EQ(parse_signal("KILL"), SIGKILL);
    EXPECT_EQ(parse_signal("USR2"), SIGUSR2);
    EXPECT_EQ(parse_signal("WINCH"), SIGWINCH);
}

TEST(ParseSignal, AcceptsHistoricalAliases) {
    EXPECT_EQ(parse_signal("IOT"), SIGABRT);
    EXPECT_EQ(parse_signal("CLD"), SIGCHLD);
    EXPECT_EQ(parse_signal("POLL"), SIGIO);
}

TEST(ParseSignal, AcceptsNumbersInRange) {
    EXPECT_EQ(parse_signal("15"), 15);
    EXPECT_EQ(parse_signal("1"), 1);
    EXPECT_EQ(parse_signal("64"), 64);
}

TEST(ParseSignal, RejectsUnknownNamesAndOutOfRangeNumbers) {
    EXPECT_EQ(parse_signal(""), std::nullopt);
    EXPECT_EQ(parse_signal("SIG"), std::nullopt);
    EXPECT_EQ(parse_signal("FOO"), std::nullopt);
    EXPECT_EQ(parse_signal("SIGSIGTERM"), std::nullopt);
    EXPECT_EQ(parse_signal("0"), std::nullopt);
    EXPECT_EQ(parse_signal("65"), std::nullopt);
    EXPECT_EQ(parse_signal("-15"), std::nullopt);
    EXPECT_EQ(parse_signal("15x"), std::nullopt);
    EXPECT_EQ(parse_signal(" TERM"), std::nullopt);
    EXPECT_EQ(parse_signal("99999999999999999999"), std::nullopt);
}

TEST(SignalName, GivesCanonicalNameOrNumber) {
    EXPECT_EQ(signal_name(SIGTERM), "TERM");
    EXPECT_EQ(signal_name(SIGABRT), "ABRT");
    EXPECT_EQ(signal_name(SIGCHLD), "CHLD");
    EXPECT_EQ(signal_name(SIGRTMIN + 1), std::to_string(SIGRTMIN + 1));
}

TEST(SignalName, RoundTripsEveryStandardSignal) {
    for (int sig = 1; sig < 32; ++sig) {
        std::string name = signal_name(sig);
        EXPECT_EQ(parse_signal(name), sig) << name;
        EXPECT_EQ(parse_signal("SIG" + name), sig) << name;
    }
}

}  // namespace
}  // namespace superv

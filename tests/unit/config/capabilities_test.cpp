// `capabilities`, `no_new_privs` and `clear_environment`: names checked
// against the kernel's list and against what superv holds, with positions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/capability.h>

#include "load_helpers.hpp"

namespace superv::config {
namespace {

using test_support::errors_of;
using test_support::load_ok;
using test_support::program_from;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::uint64_t bit(int cap) {
    return std::uint64_t{1} << cap;
}

// A non-root superv that holds exactly `caps`.
detail::Identity unprivileged_with(std::uint64_t caps) {
    return detail::Identity{1000, 1000, detail::Privileges{.capabilities = caps}};
}

TEST(Capabilities, UnsetLeavesTheSetsAloneAndAnEmptyListDropsEverything) {
    EXPECT_FALSE(program_from("").capabilities.has_value());
    EXPECT_EQ(program_from("capabilities = []\n").capabilities, std::uint64_t{0});
}

TEST(Capabilities, ReadsNamesInAnyCaseIntoAMask) {
    ProgramConfig p =
        program_from("capabilities = [\"CAP_NET_BIND_SERVICE\", \"cap_chown\", \"Cap_Kill\"]\n");
    EXPECT_EQ(p.capabilities, bit(CAP_NET_BIND_SERVICE) | bit(CAP_CHOWN) | bit(CAP_KILL));
}

TEST(Capabilities, UnknownNameIsAnErrorWithASuggestion) {
    EXPECT_THAT(errors_of(test_support::kWebHead +
                          "capabilities = [\"CAP_CHOWN\", \"CAP_NET_BIND_SERVCE\"]\n"),
                ElementsAre("/etc/superv/superv.toml:3:30: unknown capability "
                            "\"CAP_NET_BIND_SERVCE\" (did you mean \"CAP_NET_BIND_SERVICE\"?)"));
    EXPECT_THAT(errors_of(test_support::kWebHead + "capabilities = [\"CAP_FLY\"]\n"),
                ElementsAre("/etc/superv/superv.toml:3:17: unknown capability \"CAP_FLY\""));
}

TEST(Capabilities, NumbersAreNotNames) {
    // libcap would read "12" as capability 12; in a config it is a typo.
    EXPECT_THAT(errors_of(test_support::kWebHead + "capabilities = [\"12\", 12]\n"),
                ElementsAre("/etc/superv/superv.toml:3:17: unknown capability \"12\"",
                            "/etc/superv/superv.toml:3:23: every capability in \"capabilities\" "
                            "must be a string, not an integer"));
}

TEST(Capabilities, MustBeAnArray) {
    EXPECT_THAT(errors_of(test_support::kWebHead + "capabilities = \"CAP_CHOWN\"\n"),
                ElementsAre("/etc/superv/superv.toml:3:16: \"capabilities\" must be an array of "
                            "capability names like [\"CAP_NET_BIND_SERVICE\"], not a string"));
}

TEST(Capabilities, ListingOneTwiceIsAnError) {
    EXPECT_THAT(errors_of(test_support::kWebHead + "capabilities = [\"CAP_KILL\", \"cap_kill\"]\n"),
                ElementsAre("/etc/superv/superv.toml:3:29: capability \"CAP_KILL\" is listed "
                            "twice"));
}

TEST(Capabilities, NonRootSupervMayPassOnOnlyWhatItHolds) {
    const auto who = unprivileged_with(bit(CAP_SETPCAP) | bit(CAP_NET_BIND_SERVICE));
    EXPECT_THAT(
        errors_of(test_support::kWebHead + "capabilities = [\"CAP_NET_BIND_SERVICE\"]\n", who),
        IsEmpty());
    EXPECT_THAT(
        errors_of(test_support::kWebHead +
                      "capabilities = [\"CAP_NET_BIND_SERVICE\", \"CAP_SYS_ADMIN\"]\n",
                  who),
        ElementsAre("/etc/superv/superv.toml:3:41: superv does not hold CAP_SYS_ADMIN (it must be "
                    "in superv's effective, permitted and bounding sets to be passed on)"));
}

TEST(Capabilities, RootLackingACapabilityCannotPassItOn) {
    // A container's root often runs without CAP_SYS_ADMIN or CAP_SYS_RESOURCE.
    const detail::Identity contained_root{0, 0,
                                          detail::Privileges{.capabilities = bit(CAP_SETPCAP)}};
    EXPECT_THAT(errors_of(test_support::kWebHead + "capabilities = [\"CAP_SYS_RESOURCE\"]\n",
                          contained_root),
                ElementsAre("/etc/superv/superv.toml:3:17: superv does not hold CAP_SYS_RESOURCE "
                            "(it must be in superv's effective, permitted and bounding sets to be "
                            "passed on)"));
}

TEST(Capabilities, ShrinkingTheBoundingSetNeedsSetpcap) {
    EXPECT_THAT(errors_of(test_support::kWebHead + "capabilities = []\n", unprivileged_with(0)),
                ElementsAre("/etc/superv/superv.toml:3:16: superv does not hold CAP_SETPCAP, "
                            "which dropping the other capabilities from the bounding set needs; "
                            "run superv as root or drop \"capabilities\""));
}

TEST(Capabilities, EveryProblemOfEveryProgramIsReported) {
    EXPECT_THAT(errors_of("[programs.a]\ncommand = \"/bin/a\"\ncapabilities = [\"CAP_NOPE\"]\n"
                          "no_new_privs = \"yes\"\n"
                          "[programs.b]\ncommand = \"/bin/b\"\ncapabilities = [\"CAP_KILL\"]\n"
                          "clear_environment = \"no\"\n",
                          unprivileged_with(bit(CAP_SETPCAP))),
                ElementsAre("/etc/superv/superv.toml:3:17: unknown capability \"CAP_NOPE\"",
                            "/etc/superv/superv.toml:4:16: \"no_new_privs\" must be true or "
                            "false, not a string",
                            "/etc/superv/superv.toml:7:17: superv does not hold CAP_KILL (it "
                            "must be in superv's effective, permitted and bounding sets to be "
                            "passed on)",
                            "/etc/superv/superv.toml:8:21: \"clear_environment\" must be true or "
                            "false, not a string"));
}

TEST(PrivilegeFlags, NoNewPrivsAndClearEnvironmentDefaultOffAndAreRead) {
    ProgramConfig defaults = program_from("");
    EXPECT_FALSE(defaults.no_new_privs);
    EXPECT_FALSE(defaults.clear_environment);
    ProgramConfig p = program_from("no_new_privs = true\nclear_environment = true\n");
    EXPECT_TRUE(p.no_new_privs);
    EXPECT_TRUE(p.clear_environment);
}

TEST(PrivilegeFlags, ChangingAnyOfThemIsAChangeForUpdate) {
    const std::string head = "[programs.p]\ncommand = \"/bin/p\"\n";
    const ProgramConfig base = load_ok(head).programs.at(0);
    for (const char* option : {"capabilities = []\n", "no_new_privs = true\n",
                               "clear_environment = true\n", "rlimits = { core = 0 }\n"}) {
        EXPECT_FALSE(base.same_options(load_ok(head + option).programs.at(0))) << option;
    }
}

}  // namespace
}  // namespace superv::config

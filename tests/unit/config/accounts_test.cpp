// `user`, `group` and `socket_group`: the accounts must exist, and superv
// must be able to switch to them. The tests load as uid 1000 to check what a
// non-root superv may do, whoever runs the tests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "load_helpers.hpp"

namespace superv::config {
namespace {

using test_support::errors_of;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const detail::Identity kUnprivileged{1000, 1000};

TEST(Accounts, ReportsUnknownUserAndGroup) {
    EXPECT_THAT(errors_of(test_support::kWebHead +
                          "user = \"no-such-user-x\"\ngroup = \"no-such-group-x\"\n"),
                ElementsAre("/etc/superv/superv.toml:3:8: unknown user \"no-such-user-x\"",
                            "/etc/superv/superv.toml:4:9: unknown group \"no-such-group-x\""));
    EXPECT_THAT(errors_of("[superv]\nsocket_group = \"no-such-group-x\"\n"),
                ElementsAre("/etc/superv/superv.toml:2:16: unknown group \"no-such-group-x\""));
}

TEST(Accounts, RootMaySwitchToAnyUser) {
    EXPECT_THAT(errors_of(test_support::kWebHead + "user = \"daemon\"\ngroup = \"daemon\"\n"),
                IsEmpty());
}

TEST(Accounts, NonRootCannotSwitchToAnotherUser) {
    EXPECT_THAT(errors_of(test_support::kWebHead + "user = \"root\"\n", kUnprivileged),
                ElementsAre("/etc/superv/superv.toml:3:8: superv runs as uid 1000 and cannot "
                            "switch to user \"root\" (uid 0); run superv as root or drop "
                            "\"user\""));
    EXPECT_THAT(errors_of(test_support::kWebHead + "group = \"root\"\n", kUnprivileged),
                ElementsAre("/etc/superv/superv.toml:3:9: superv runs as uid 1000 (gid 1000) and "
                            "cannot switch to group \"root\" (gid 0); run superv as root or drop "
                            "\"group\""));
}

TEST(Accounts, DaemonUserIsCheckedAsAProgramsUser) {
    EXPECT_THAT(errors_of("[superv]\nuser = \"daemon\"\n"), IsEmpty());
    EXPECT_THAT(errors_of("[superv]\nuser = \"no-such-user-x\"\n"),
                ElementsAre("/etc/superv/superv.toml:2:8: unknown user \"no-such-user-x\""));
    EXPECT_THAT(errors_of("[superv]\nuser = \"root\"\n", kUnprivileged),
                ElementsAre("/etc/superv/superv.toml:2:8: superv runs as uid 1000 and cannot "
                            "switch to user \"root\" (uid 0); run superv as root or drop "
                            "\"user\""));
}

TEST(Accounts, NonRootMayNameItself) {
    const detail::Identity as_daemon{1, 1};  // Debian's "daemon" user and group
    EXPECT_THAT(
        errors_of(test_support::kWebHead + "user = \"daemon\"\ngroup = \"daemon\"\n", as_daemon),
        IsEmpty());
}

TEST(Accounts, NonRootMayUseAnyExistingSocketGroup) {
    EXPECT_THAT(errors_of("[superv]\nsocket_group = \"root\"\n", kUnprivileged), IsEmpty());
}

}  // namespace
}  // namespace superv::config

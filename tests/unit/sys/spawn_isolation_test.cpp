// What the child inherits from superv, and what it must not: fds, signal
// state, process group, credentials. Run once per spawn method.
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <unistd.h>

#include <set>
#include <sstream>

#include "superv/sys/spawn.hpp"
#include "test_support.hpp"

namespace superv::sys {
namespace {

using testing::exit_code_of;
using testing::has_no_children;
using testing::open_fds_of;
using testing::read_output;
using testing::run_isolated;
using testing::spawn_live_cat;
using testing::status_field;
using testing::wait_for_exit;

class SpawnIsolationTest : public ::testing::TestWithParam<SpawnMethod> {
  protected:
    void TearDown() override { EXPECT_TRUE(has_no_children()) << "a child was left behind"; }

    // Closing cat's stdin makes it exit 0.
    static void finish(testing::LiveChild& child) {
        child.stdin_write.reset();
        EXPECT_EQ(exit_code_of(wait_for_exit(child.process)), 0);
    }
};

TEST_P(SpawnIsolationTest, ChildHasOnlyFdsZeroOneTwoEvenWhenParentHoldsInheritableFds) {
    const Fd low(open("/dev/null", O_RDONLY));  // deliberately not O_CLOEXEC
    const Fd high(fcntl(low.get(), F_DUPFD, 200));
    ASSERT_TRUE(low.valid() && high.valid());
    auto child = spawn_live_cat(GetParam());
    ASSERT_TRUE(child.ok()) << child.error().message();
    EXPECT_EQ(open_fds_of(child->process.pid()), (std::set<int>{0, 1, 2}));
    finish(child.value());
}

TEST_P(SpawnIsolationTest, ChildLeadsItsOwnProcessGroup) {
    auto child = spawn_live_cat(GetParam());
    ASSERT_TRUE(child.ok()) << child.error().message();
    EXPECT_EQ(getpgid(child->process.pid()), child->process.pid());
    EXPECT_NE(getpgid(child->process.pid()), getpgrp());
    finish(child.value());
}

TEST_P(SpawnIsolationTest, ChildStartsWithNoBlockedOrIgnoredSignals) {
    sigset_t blocked, saved_mask;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    sigaddset(&blocked, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &blocked, &saved_mask);
    struct sigaction ignore {
    }, saved_usr2{}, saved_hup{};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGUSR2, &ignore, &saved_usr2);
    sigaction(SIGHUP, &ignore, &saved_hup);

    auto child = spawn_live_cat(GetParam());

    sigset_t mask_after;
    pthread_sigmask(SIG_SETMASK, &saved_mask, &mask_after);
    sigaction(SIGUSR2, &saved_usr2, nullptr);
    sigaction(SIGHUP, &saved_hup, nullptr);
    ASSERT_TRUE(child.ok()) << child.error().message();
    EXPECT_EQ(status_field(child->process.pid(), "SigBlk"), "0000000000000000");
    EXPECT_EQ(status_field(child->process.pid(), "SigIgn"), "0000000000000000");
    // spawn() blocks everything around clone and must put superv's mask back.
    EXPECT_EQ(sigismember(&mask_after, SIGUSR1), 1);
    EXPECT_EQ(sigismember(&mask_after, SIGTERM), 1);
    EXPECT_EQ(sigismember(&mask_after, SIGINT), sigismember(&saved_mask, SIGINT));
    finish(child.value());
}

TEST_P(SpawnIsolationTest, SwapsStdioFdsThatCollideWithZeroToTwo) {
    const SpawnMethod method = GetParam();
    EXPECT_EQ(run_isolated([method] {
                  auto in = make_pipe();
                  auto out = make_pipe();
                  EXPECT_IN_CHILD(in.ok() && out.ok());
                  // Our 0 becomes the write end of `out`, our 1 the read end of `in`,
                  // and the child gets them swapped: stdin = our 1, stdout = our 0.
                  EXPECT_IN_CHILD(dup2(out->second.get(), 0) == 0);
                  EXPECT_IN_CHILD(dup2(in->first.get(), 1) == 1);
                  out->second.reset();
                  in->first.reset();
                  auto process = spawn({.argv = {"/bin/sh", "-c", "cat; echo err >&2"},
                                        .stdin_fd = 1,
                                        .stdout_fd = 0,
                                        .stderr_fd = 0,
                                        .method = method});
                  EXPECT_IN_CHILD(process.ok());
                  close(0);
                  close(1);
                  EXPECT_IN_CHILD(write(in->second.get(), "swap\n", 5) == 5);
                  in->second.reset();
                  EXPECT_IN_CHILD(read_output(out->first.get()) == "swap\nerr\n");
                  EXPECT_IN_CHILD(exit_code_of(wait_for_exit(process.value())) == 0);
                  return 0;
              }),
              0);
}

TEST_P(SpawnIsolationTest, ReportsOutcomeEvenWhenOwnStdinAndStdoutAreClosed) {
    const SpawnMethod method = GetParam();
    EXPECT_EQ(run_isolated([method] {
                  close(0);
                  close(1);
                  // The error pipe now lands on 0 and 1, which the child's stdio
                  // setup must not clobber.
                  auto missing = spawn({.argv = {"/nonexistent/prog"}, .method = method});
                  EXPECT_IN_CHILD(!missing.ok());
                  EXPECT_IN_CHILD(missing.error().err == ENOENT);
                  auto ok = spawn({.argv = {"/bin/sh", "-c", "exit 6"}, .method = method});
                  EXPECT_IN_CHILD(ok.ok());
                  EXPECT_IN_CHILD(exit_code_of(wait_for_exit(ok.value())) == 6);
                  return 0;
              }),
              0);
}

TEST_P(SpawnIsolationTest, AppliesUserGroupAndSupplementaryGroups) {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to change credentials";
    auto pipe = make_pipe();
    ASSERT_TRUE(pipe.ok());
    auto process = spawn({.argv = {"/bin/sh", "-c", "id -u; id -g; id -G"},
                          .stdout_fd = pipe->second.get(),
                          .uid = 65534,
                          .gid = 65534,
                          .supplementary_groups = std::vector<gid_t>{100, 65534},
                          .method = GetParam()});
    ASSERT_TRUE(process.ok()) << process.error().message();
    pipe->second.reset();
    std::istringstream output(read_output(pipe->first.get()));
    EXPECT_EQ(exit_code_of(wait_for_exit(process.value())), 0);
    std::string uid, gid, groups_line;
    std::getline(output, uid);
    std::getline(output, gid);
    std::getline(output, groups_line);
    EXPECT_EQ(uid, "65534");
    EXPECT_EQ(gid, "65534");
    std::set<std::string> groups;
    std::istringstream words(groups_line);
    for (std::string g; words >> g;)
        groups.insert(g);
    EXPECT_EQ(groups, (std::set<std::string>{"100", "65534"}));
}

TEST_P(SpawnIsolationTest, ReportsRefusedCredentialChangeWithItsStepName) {
    const SpawnMethod method = GetParam();
    EXPECT_EQ(
        run_isolated([method] {
            if (geteuid() == 0) {  // become an unprivileged user first
                EXPECT_IN_CHILD(setgroups(0, nullptr) == 0);
                EXPECT_IN_CHILD(setgid(65534) == 0);
                EXPECT_IN_CHILD(setuid(65534) == 0);
            }
            const auto refused = [method](SpawnRequest request, const char* step) {
                request.argv = {"/bin/true"};
                request.method = method;
                auto process = spawn(request);
                return !process.ok() && process.error().call == std::string(step) &&
                       process.error().err == EPERM;
            };
            EXPECT_IN_CHILD(refused({.supplementary_groups = std::vector<gid_t>{0}}, "setgroups"));
            EXPECT_IN_CHILD(refused({.gid = 0}, "setgid"));
            EXPECT_IN_CHILD(refused({.uid = 0}, "setuid"));
            return has_no_children() ? 0 : 2;
        }),
        0);
}

INSTANTIATE_TEST_SUITE_P(EveryMethod, SpawnIsolationTest, testing::kEveryMethod,
                         testing::method_test_name);

}  // namespace
}  // namespace superv::sys

// SpawnRequest::extra_fd: one fd besides 0..2 in the child (a readiness
// pipe's write end), at the number the program was told. Once per method.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <set>

#include "superv/sys/spawn.hpp"
#include "test_support.hpp"

namespace superv::sys {
namespace {

using testing::exit_code_of;
using testing::has_no_children;
using testing::open_fds_of;
using testing::read_output;
using testing::spawn_live_cat;
using testing::wait_for_exit;

class SpawnExtraFdTest : public ::testing::TestWithParam<SpawnMethod> {
  protected:
    void TearDown() override { EXPECT_TRUE(has_no_children()) << "a child was left behind"; }

    // `sh -c script` with the write end of a fresh pipe as fd `target`;
    // returns what the child wrote there (read until EOF).
    std::string run_with_extra_fd(const std::string& script, int target) {
        auto pipe = make_pipe();
        EXPECT_TRUE(pipe.ok());
        auto child = spawn(SpawnRequest{.argv = {"/bin/sh", "-c", script},
                                        .extra_fd = {pipe->second.get(), target},
                                        .method = GetParam()});
        EXPECT_TRUE(child.ok()) << child.error().message();
        if (!child) return {};
        pipe->second.reset();  // only the child's copy is left, so EOF comes at its exit
        std::string written = read_output(pipe->first.get());
        EXPECT_EQ(exit_code_of(wait_for_exit(child.value())), 0);
        return written;
    }
};

TEST_P(SpawnExtraFdTest, ChildHasTheExtraFdAtItsTargetAndNoOtherOne) {
    auto pipe = make_pipe();
    ASSERT_TRUE(pipe.ok());
    auto child = spawn_live_cat(GetParam(), SpawnRequest{.extra_fd = {pipe->second.get(), 7}});
    ASSERT_TRUE(child.ok()) << child.error().message();
    EXPECT_EQ(open_fds_of(child->process.pid()), (std::set<int>{0, 1, 2, 7}));
    child->stdin_write.reset();
    EXPECT_EQ(exit_code_of(wait_for_exit(child->process)), 0);
}

TEST_P(SpawnExtraFdTest, WhatTheChildWritesToItsFdReachesThePipe) {
    EXPECT_EQ(run_with_extra_fd("echo up >&3", 3), "up\n");
    EXPECT_EQ(run_with_extra_fd("echo up >&9", 9), "up\n");
}

TEST_P(SpawnExtraFdTest, ASourceAlreadyAtItsTargetStaysOpenAcrossExec) {
    auto pipe = make_pipe();
    ASSERT_TRUE(pipe.ok());
    // Close-on-exec like every fd of superv's: the child must clear the flag.
    const Fd at_target(fcntl(pipe->second.get(), F_DUPFD_CLOEXEC, 200));
    ASSERT_TRUE(at_target.valid());
    const int target = at_target.get();
    auto child = spawn_live_cat(GetParam(), SpawnRequest{.extra_fd = {target, target}});
    ASSERT_TRUE(child.ok()) << child.error().message();
    EXPECT_EQ(open_fds_of(child->process.pid()), (std::set<int>{0, 1, 2, target}));
    child->stdin_write.reset();
    EXPECT_EQ(exit_code_of(wait_for_exit(child->process)), 0);
}

// spawn() opens its error pipe on the two lowest free fds: a target equal to
// the pipe's write end must not overwrite the channel that reports failures.
int next_pipe_write_end() {
    int probe[2];
    if (::pipe2(probe, O_CLOEXEC) != 0) return -1;
    ::close(probe[0]);
    ::close(probe[1]);
    return probe[1];
}

TEST_P(SpawnExtraFdTest, ATargetOnTheErrorPipeStillReportsAFailedExec) {
    auto pipe = make_pipe();
    ASSERT_TRUE(pipe.ok());
    const int target = next_pipe_write_end();
    auto failed = spawn(SpawnRequest{.argv = {"/nonexistent/program"},
                                     .extra_fd = {pipe->second.get(), target},
                                     .method = GetParam()});
    ASSERT_FALSE(failed.ok());
    EXPECT_STREQ(failed.error().call, "execve");
    EXPECT_EQ(failed.error().err, ENOENT);
}

TEST_P(SpawnExtraFdTest, ATargetOnTheErrorPipeStillGetsTheFd) {
    auto pipe = make_pipe();
    ASSERT_TRUE(pipe.ok());
    const int target = next_pipe_write_end();
    auto child =
        spawn(SpawnRequest{.argv = {"/bin/sh", "-c", "echo up >&" + std::to_string(target)},
                           .extra_fd = {pipe->second.get(), target},
                           .method = GetParam()});
    ASSERT_TRUE(child.ok()) << child.error().message();
    pipe->second.reset();
    EXPECT_EQ(read_output(pipe->first.get()), "up\n");
    EXPECT_EQ(exit_code_of(wait_for_exit(child.value())), 0);
}

TEST_P(SpawnExtraFdTest, RefusesATargetAmongTheStdioSlots) {
    auto pipe = make_pipe();
    ASSERT_TRUE(pipe.ok());
    auto refused = spawn(SpawnRequest{
        .argv = {"/bin/true"}, .extra_fd = {pipe->second.get(), 1}, .method = GetParam()});
    ASSERT_FALSE(refused.ok());
    EXPECT_STREQ(refused.error().call, "dup2");
    EXPECT_EQ(refused.error().err, EINVAL);
}

INSTANTIATE_TEST_SUITE_P(EveryMethod, SpawnExtraFdTest, testing::kEveryMethod,
                         testing::method_test_name);

}  // namespace
}  // namespace superv::sys

// The fallback chain under a kernel that refuses things: seccomp filters in a
// forked copy of the test process stand in for old kernels and container
// profiles (Docker answers EPERM, others ENOSYS).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <set>

#include "superv/sys/spawn.hpp"
#include "test_support.hpp"

namespace superv::sys {
namespace {

using testing::exit_code_of;
using testing::has_no_children;
using testing::open_fds_of;
using testing::refuse_syscall;
using testing::run_isolated;
using testing::spawn_live_cat;
using testing::wait_for_exit;

// Spawns `sh -c 'exit 9'` and checks the code comes back.
bool runs_and_exits_nine(SpawnMethod method = SpawnMethod::Auto) {
    auto process = spawn({.argv = {"/bin/sh", "-c", "exit 9"}, .method = method});
    return process.ok() && exit_code_of(wait_for_exit(process.value())) == 9;
}

bool reports_missing_program(SpawnMethod method = SpawnMethod::Auto) {
    auto process = spawn({.argv = {"/nonexistent/prog"}, .method = method});
    return !process.ok() && process.error().call == std::string("execve") &&
           process.error().err == ENOENT;
}

TEST(SpawnMethodTest, AutoUsesClonePidfdWhereTheKernelAllowsIt) {
    EXPECT_EQ(run_isolated([] {
                  EXPECT_IN_CHILD(runs_and_exits_nine());
                  EXPECT_IN_CHILD(spawn_method_in_use() == SpawnMethod::ClonePidfd);
                  return 0;
              }),
              0);
}

TEST(SpawnMethodTest, AutoStepsDownToCloneAndPidfdOpenWhenClonePidfdIsRefused) {
    EXPECT_EQ(run_isolated([] {
                  EXPECT_IN_CHILD(refuse_syscall(SYS_clone, CLONE_PIDFD, EPERM));
                  EXPECT_IN_CHILD(runs_and_exits_nine());
                  EXPECT_IN_CHILD(spawn_method_in_use() == SpawnMethod::CloneThenPidfdOpen);
                  EXPECT_IN_CHILD(runs_and_exits_nine());  // remembered: no retry
                  EXPECT_IN_CHILD(reports_missing_program());
                  return has_no_children() ? 0 : 2;
              }),
              0);
}

TEST(SpawnMethodTest, AutoStepsDownToForkWhenEveryVforkCloneIsRefused) {
    EXPECT_EQ(run_isolated([] {
                  EXPECT_IN_CHILD(refuse_syscall(SYS_clone, CLONE_VM, ENOSYS));
                  EXPECT_IN_CHILD(runs_and_exits_nine());
                  EXPECT_IN_CHILD(spawn_method_in_use() == SpawnMethod::ForkThenPidfdOpen);
                  EXPECT_IN_CHILD(runs_and_exits_nine());
                  EXPECT_IN_CHILD(reports_missing_program());
                  return has_no_children() ? 0 : 2;
              }),
              0);
}

TEST(SpawnMethodTest, AutoReportsResourceFailureWithoutSteppingDown) {
    EXPECT_EQ(run_isolated([] {
                  EXPECT_IN_CHILD(refuse_syscall(SYS_clone, CLONE_VM, EAGAIN));
                  auto process = spawn({.argv = {"/bin/true"}});
                  EXPECT_IN_CHILD(!process.ok());
                  EXPECT_IN_CHILD(process.error().call == std::string("clone"));
                  EXPECT_IN_CHILD(process.error().err == EAGAIN);
                  EXPECT_IN_CHILD(spawn_method_in_use() == SpawnMethod::ClonePidfd);
                  return 0;
              }),
              0);
}

TEST(SpawnMethodTest, ForcedMethodReportsRefusalInsteadOfFallingBack) {
    EXPECT_EQ(run_isolated([] {
                  EXPECT_IN_CHILD(refuse_syscall(SYS_clone, CLONE_PIDFD, EPERM));
                  auto process = spawn({.argv = {"/bin/true"}, .method = SpawnMethod::ClonePidfd});
                  EXPECT_IN_CHILD(!process.ok());
                  EXPECT_IN_CHILD(process.error().call == std::string("clone"));
                  EXPECT_IN_CHILD(process.error().err == EPERM);
                  EXPECT_IN_CHILD(spawn_method_in_use() == SpawnMethod::ClonePidfd);
                  EXPECT_IN_CHILD(runs_and_exits_nine(SpawnMethod::CloneThenPidfdOpen));
                  return 0;
              }),
              0);
}

TEST(SpawnMethodTest, ChildStillGetsOnlyStdioWhenCloseRangeIsRefused) {
    EXPECT_EQ(run_isolated([] {
                  EXPECT_IN_CHILD(refuse_syscall(SYS_close_range, 0, ENOSYS));
                  const Fd leaked(open("/dev/null", O_RDONLY));  // not O_CLOEXEC
                  const Fd leaked_high(fcntl(leaked.get(), F_DUPFD, 300));
                  auto child = spawn_live_cat();
                  EXPECT_IN_CHILD(child.ok());
                  EXPECT_IN_CHILD(open_fds_of(child->process.pid()) == (std::set<int>{0, 1, 2}));
                  child->stdin_write.reset();
                  EXPECT_IN_CHILD(exit_code_of(wait_for_exit(child->process)) == 0);
                  return 0;
              }),
              0);
}

TEST(SpawnMethodTest, MethodsHaveNamesForTheLog) {
    EXPECT_STREQ(spawn_method_name(SpawnMethod::ClonePidfd), "clone(CLONE_PIDFD)");
    EXPECT_STREQ(spawn_method_name(SpawnMethod::CloneThenPidfdOpen), "clone+pidfd_open");
    EXPECT_STREQ(spawn_method_name(SpawnMethod::ForkThenPidfdOpen), "fork+pidfd_open");
}

}  // namespace
}  // namespace superv::sys

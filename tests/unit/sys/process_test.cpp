// ProcessHandle: signals through the pidfd, the process group, waiting.
#include "superv/sys/process.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>

#include <string>

#include "superv/sys/pidfd.hpp"
#include "superv/sys/spawn.hpp"
#include "test_support.hpp"

namespace superv::sys {
namespace {

using testing::exit_code_of;
using testing::has_no_children;
using testing::read_output;
using testing::spawn_live_cat;
using testing::wait_for_exit;

class ProcessTest : public ::testing::Test {
  protected:
    void TearDown() override { EXPECT_TRUE(has_no_children()) << "a child was left behind"; }
};

TEST_F(ProcessTest, SignalReachesLiveProcess) {
    auto child = spawn_live_cat();
    ASSERT_TRUE(child.ok()) << child.error().message();
    ASSERT_TRUE(child->process.signal(SIGTERM).ok());
    const siginfo_t info = wait_for_exit(child->process);
    EXPECT_EQ(info.si_code, CLD_KILLED);
    EXPECT_EQ(info.si_status, SIGTERM);
}

TEST_F(ProcessTest, SignalAfterReapFailsWithEsrch) {
    auto process = spawn({.argv = {"/bin/true"}});
    ASSERT_TRUE(process.ok()) << process.error().message();
    wait_for_exit(process.value());
    const Result<void> sent = process->signal(SIGTERM);
    ASSERT_FALSE(sent.ok());
    EXPECT_STREQ(sent.error().call, "pidfd_send_signal");
    EXPECT_EQ(sent.error().err, ESRCH);
}

TEST_F(ProcessTest, SignalGroupReachesLeaderAndItsChildren) {
    auto pipe = make_pipe();
    ASSERT_TRUE(pipe.ok());
    // The shell (group leader) starts a grandchild in its group and prints
    // its pid; both must die from one signal to the group.
    auto leader = spawn(
        {.argv = {"/bin/sh", "-c", "sleep 60 & echo $!; wait"}, .stdout_fd = pipe->second.get()});
    ASSERT_TRUE(leader.ok()) << leader.error().message();
    pipe->second.reset();
    const std::string line = read_output(pipe->first.get(), std::chrono::seconds(10), "\n");
    const pid_t grandchild = std::stoi(line);
    // Not our child (it will be re-parented away), but a pidfd still tells
    // us when it exits.
    const Fd grandchild_fd(pidfd_open(grandchild, 0));
    ASSERT_TRUE(grandchild_fd.valid());
    EXPECT_EQ(getpgid(grandchild), leader->pid());

    ASSERT_TRUE(leader->signal_group(SIGTERM).ok());
    const siginfo_t info = wait_for_exit(leader.value());
    EXPECT_EQ(info.si_code, CLD_KILLED);
    EXPECT_EQ(info.si_status, SIGTERM);
    pollfd p{grandchild_fd.get(), POLLIN, 0};
    EXPECT_EQ(poll(&p, 1, 10000), 1) << "the grandchild survived the group signal";
}

TEST_F(ProcessTest, SignalGroupRefusesPidsThatWouldReachOtherProcesses) {
    // kill(-(-1)) would be kill(1): init's group. A default handle has pid -1.
    const ProcessHandle none;
    const Result<void> sent = none.signal_group(SIGTERM);
    ASSERT_FALSE(sent.ok());
    EXPECT_EQ(sent.error().err, EINVAL);
    const ProcessHandle init(1, Fd());
    EXPECT_EQ(init.signal_group(0).error().err, EINVAL);
}

TEST_F(ProcessTest, SignalOnEmptyHandleFailsWithEbadf) {
    const ProcessHandle none;
    EXPECT_FALSE(none.valid());
    EXPECT_EQ(none.signal(0).error().err, EBADF);
}

TEST_F(ProcessTest, WaitWithNohangReportsStillRunningAsPidZero) {
    auto child = spawn_live_cat();
    ASSERT_TRUE(child.ok()) << child.error().message();
    auto running = child->process.wait(WEXITED | WNOHANG);
    ASSERT_TRUE(running.ok());
    EXPECT_EQ(running->si_pid, 0);
    child->stdin_write.reset();
    EXPECT_EQ(exit_code_of(wait_for_exit(child->process)), 0);
}

TEST_F(ProcessTest, WaitWithNowaitLeavesZombieForTheRealWait) {
    auto process = spawn({.argv = {"/bin/sh", "-c", "exit 2"}});
    ASSERT_TRUE(process.ok()) << process.error().message();
    auto peeked = process->wait(WEXITED | WNOWAIT);
    ASSERT_TRUE(peeked.ok());
    EXPECT_EQ(peeked->si_status, 2);
    auto reaped = process->wait();
    ASSERT_TRUE(reaped.ok());
    EXPECT_EQ(reaped->si_status, 2);
}

TEST_F(ProcessTest, WaitStatusFromAgreesWithWaitMacros) {
    siginfo_t exited{};
    exited.si_code = CLD_EXITED;
    exited.si_status = 7;
    const int exited_status = wait_status_from(exited);
    EXPECT_TRUE(WIFEXITED(exited_status));
    EXPECT_EQ(WEXITSTATUS(exited_status), 7);

    siginfo_t killed{};
    killed.si_code = CLD_KILLED;
    killed.si_status = SIGKILL;
    const int killed_status = wait_status_from(killed);
    EXPECT_TRUE(WIFSIGNALED(killed_status));
    EXPECT_EQ(WTERMSIG(killed_status), SIGKILL);
    EXPECT_FALSE(WCOREDUMP(killed_status));

    siginfo_t dumped{};
    dumped.si_code = CLD_DUMPED;
    dumped.si_status = SIGSEGV;
    const int dumped_status = wait_status_from(dumped);
    EXPECT_TRUE(WIFSIGNALED(dumped_status));
    EXPECT_EQ(WTERMSIG(dumped_status), SIGSEGV);
    EXPECT_TRUE(WCOREDUMP(dumped_status));
}

}  // namespace
}  // namespace superv::sys

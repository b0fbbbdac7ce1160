// The daemon's signal plumbing: a signalfd for the signals it handles, and
// SIGPIPE ignored.
#include "superv/sys/signals.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include "test_support.hpp"

namespace superv::sys {
namespace {

using testing::run_isolated;

// Restores the test runner's signal mask when a test is done.
class SignalsTest : public ::testing::Test {
  protected:
    void SetUp() override { pthread_sigmask(SIG_SETMASK, nullptr, &saved_); }
    void TearDown() override { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }

  private:
    sigset_t saved_{};
};

TEST_F(SignalsTest, SignalfdReceivesRaisedSignal) {
    auto fd = open_signalfd({SIGUSR1, SIGUSR2});
    ASSERT_TRUE(fd.ok()) << fd.error().message();
    ASSERT_EQ(raise(SIGUSR2), 0);  // blocked now: it waits for the signalfd
    pollfd p{fd->get(), POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, 5000), 1);
    signalfd_siginfo info{};
    ASSERT_EQ(read(fd->get(), &info, sizeof info), static_cast<ssize_t>(sizeof info));
    EXPECT_EQ(info.ssi_signo, static_cast<uint32_t>(SIGUSR2));
    EXPECT_EQ(info.ssi_pid, static_cast<uint32_t>(getpid()));
}

TEST_F(SignalsTest, SignalfdBlocksItsSignalsAndIsNonblockingAndCloseOnExec) {
    auto fd = open_signalfd({SIGUSR1});
    ASSERT_TRUE(fd.ok()) << fd.error().message();
    sigset_t mask;
    pthread_sigmask(SIG_SETMASK, nullptr, &mask);
    EXPECT_EQ(sigismember(&mask, SIGUSR1), 1);
    EXPECT_NE(fcntl(fd->get(), F_GETFD) & FD_CLOEXEC, 0);
    signalfd_siginfo info{};
    EXPECT_EQ(read(fd->get(), &info, sizeof info), -1);
    EXPECT_EQ(errno, EAGAIN);
}

TEST_F(SignalsTest, IgnoredSigpipeTurnsIntoEpipe) {
    EXPECT_EQ(run_isolated([] {
                  ignore_sigpipe();
                  auto pipe = make_pipe();
                  EXPECT_IN_CHILD(pipe.ok());
                  pipe->first.reset();
                  errno = 0;
                  EXPECT_IN_CHILD(write(pipe->second.get(), "x", 1) == -1);
                  return errno == EPIPE ? 0 : 2;
              }),
              0);
}

}  // namespace
}  // namespace superv::sys

// Orphan reaping as a subreaper. Each test runs in a forked copy of the test
// process, which becomes the subreaper, so the runner itself never adopts
// anything.
#include "superv/sys/reaper.hpp"

#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <string>
#include <vector>

#include "superv/sys/spawn.hpp"
#include "test_support.hpp"

namespace superv::sys {
namespace {

using testing::exit_code_of;
using testing::has_no_children;
using testing::read_output;
using testing::run_isolated;
using testing::wait_for_exit;

// A background job whose shell has exited and been reaped: re-parented to
// us (the kernel re-parents before the shell becomes a zombie). It waits for
// a line on `release` before exiting with its code, so it cannot exit first
// and be reaped by the shell itself.
struct Orphan {
    pid_t pid = -1;
    Fd release;
};

Orphan make_orphan(int exit_code) {
    auto in = make_pipe();
    auto out = make_pipe();
    if (!in || !out) return {};
    // Background jobs get /dev/null as stdin, so the job reads through fd 3.
    const std::string script =
        "exec 3<&0; (read line <&3; exit " + std::to_string(exit_code) + ") & echo $!";
    auto shell = spawn({.argv = {"/bin/sh", "-c", script},
                        .stdin_fd = in->first.get(),
                        .stdout_fd = out->second.get()});
    if (!shell) return {};
    in->first.reset();
    out->second.reset();
    // Up to the newline only: the job holds the pipe open until it exits.
    const std::string pid_text = read_output(out->first.get(), std::chrono::seconds(10), "\n");
    if (exit_code_of(wait_for_exit(shell.value())) != 0 || pid_text.empty()) return {};
    return Orphan{static_cast<pid_t>(std::stoi(pid_text)), std::move(in->second)};
}

// Blocks until `pid` (our child) is a zombie, without reaping it.
bool wait_until_zombie(pid_t pid) {
    siginfo_t info{};
    return waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) == 0;
}

TEST(ReaperTest, BecomingSubreaperSetsTheProcessFlag) {
    EXPECT_EQ(run_isolated([] {
                  EXPECT_IN_CHILD(become_subreaper().ok());
                  int flag = 0;
                  EXPECT_IN_CHILD(prctl(PR_GET_CHILD_SUBREAPER, &flag) == 0);
                  return flag == 1 ? 0 : 2;
              }),
              0);
}

TEST(ReaperTest, ReapsOrphanedGrandchildAndReportsItsStatus) {
    EXPECT_EQ(run_isolated([] {
                  EXPECT_IN_CHILD(become_subreaper().ok());
                  Orphan orphan = make_orphan(5);
                  EXPECT_IN_CHILD(orphan.pid > 0);
                  orphan.release.reset();  // EOF: `read` returns and the job exits
                  EXPECT_IN_CHILD(wait_until_zombie(orphan.pid));
                  std::vector<std::pair<pid_t, int>> reaped;
                  const ReapOutcome outcome = reap_orphans(
                      [](pid_t) { return false; },
                      [&](pid_t pid, int status) { reaped.emplace_back(pid, status); });
                  EXPECT_IN_CHILD(outcome.reaped == 1);
                  EXPECT_IN_CHILD(!outcome.blocked_by_managed);
                  EXPECT_IN_CHILD(reaped.size() == 1 && reaped[0].first == orphan.pid);
                  EXPECT_IN_CHILD(WIFEXITED(reaped[0].second));
                  EXPECT_IN_CHILD(WEXITSTATUS(reaped[0].second) == 5);
                  EXPECT_IN_CHILD(has_no_children());
                  return 0;
              }),
              0);
}

TEST(ReaperTest, NeverReapsManagedZombieAndSaysItIsBlocked) {
    EXPECT_EQ(run_isolated([] {
                  EXPECT_IN_CHILD(become_subreaper().ok());
                  auto managed = spawn({.argv = {"/bin/sh", "-c", "exit 3"}});
                  EXPECT_IN_CHILD(managed.ok());
                  EXPECT_IN_CHILD(managed->wait(WEXITED | WNOWAIT).ok());  // now a zombie
                  int callbacks = 0;
                  const ReapOutcome outcome =
                      reap_orphans([&](pid_t pid) { return pid == managed->pid(); },
                                   [&](pid_t, int) { ++callbacks; });
                  EXPECT_IN_CHILD(outcome.reaped == 0);
                  EXPECT_IN_CHILD(outcome.blocked_by_managed);
                  EXPECT_IN_CHILD(callbacks == 0);
                  // Its exit status is still there for its own wait.
                  auto info = managed->wait();
                  EXPECT_IN_CHILD(info.ok() && info->si_code == CLD_EXITED);
                  EXPECT_IN_CHILD(info->si_status == 3);
                  return 0;
              }),
              0);
}

TEST(ReaperTest, LeavesRunningChildrenAlone) {
    EXPECT_EQ(run_isolated([] {
                  auto in = make_pipe();
                  EXPECT_IN_CHILD(in.ok());
                  auto running = spawn({.argv = {"/bin/cat"}, .stdin_fd = in->first.get()});
                  EXPECT_IN_CHILD(running.ok());
                  const ReapOutcome outcome =
                      reap_orphans([](pid_t) { return false; }, [](pid_t, int) {});
                  EXPECT_IN_CHILD(outcome.reaped == 0);
                  EXPECT_IN_CHILD(!outcome.blocked_by_managed);
                  in->second.reset();
                  EXPECT_IN_CHILD(exit_code_of(wait_for_exit(running.value())) == 0);
                  return 0;
              }),
              0);
}

TEST(ReaperTest, DoesNothingWithoutChildren) {
    EXPECT_EQ(run_isolated([] {
                  const ReapOutcome outcome =
                      reap_orphans([](pid_t) { return false; }, [](pid_t, int) {});
                  EXPECT_IN_CHILD(outcome.reaped == 0);
                  EXPECT_IN_CHILD(!outcome.blocked_by_managed);
                  return 0;
              }),
              0);
}

}  // namespace
}  // namespace superv::sys

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>

#include "backend_fixture.hpp"

namespace superv::loop::test {
namespace {

using ::testing::ElementsAre;

constexpr Tag exit_tag(std::uint32_t slot) {
    return Tag{TagKind::ProcessExit, slot, 1};
}

int pause_forever() {
    for (;;)
        ::pause();
}

TEST_P(BackendTest, ExitWaitReportsTheExitCodeAndReapsTheChild) {
    Child child([] { return 7; });
    siginfo_t info{};
    backend().wait_exit(exit_tag(1), child.pidfd(), &info);

    ASSERT_THAT(collect(1), ElementsAre(Completion{exit_tag(1), 0}));
    child.mark_reaped();
    EXPECT_EQ(info.si_signo, SIGCHLD);
    EXPECT_EQ(info.si_pid, child.pid());
    EXPECT_EQ(info.si_code, CLD_EXITED);
    EXPECT_EQ(info.si_status, 7);
    EXPECT_TRUE(child.is_reaped()) << "no zombie left";
}

TEST_P(BackendTest, ExitWaitReportsTheSignalThatKilledTheChild) {
    Child child(pause_forever);
    siginfo_t info{};
    backend().wait_exit(exit_tag(1), child.pidfd(), &info);
    backend().submit();
    ASSERT_EQ(send_signal(child.pidfd(), SIGKILL), 0);

    ASSERT_THAT(collect(1), ElementsAre(Completion{exit_tag(1), 0}));
    child.mark_reaped();
    EXPECT_EQ(info.si_pid, child.pid());
    EXPECT_EQ(info.si_code, CLD_KILLED);
    EXPECT_EQ(info.si_status, SIGKILL);
    EXPECT_TRUE(child.is_reaped());
}

TEST_P(BackendTest, ExitWaitStartedAfterTheExitCompletesAtOnce) {
    Child child([] { return 3; });
    child.wait_until_zombie();
    siginfo_t info{};
    backend().wait_exit(exit_tag(1), child.pidfd(), &info);

    ASSERT_THAT(collect(1), ElementsAre(Completion{exit_tag(1), 0}));
    child.mark_reaped();
    EXPECT_EQ(info.si_status, 3);
    EXPECT_TRUE(child.is_reaped());
}

TEST_P(BackendTest, ExitWaitOnAChildReapedElsewhereGivesEchild) {
    Child child([] { return 0; });
    siginfo_t reaped{};
    ASSERT_EQ(::waitid(P_PIDFD, static_cast<id_t>(child.pidfd()), &reaped, WEXITED), 0);
    child.mark_reaped();

    siginfo_t info{};
    backend().wait_exit(exit_tag(1), child.pidfd(), &info);
    EXPECT_THAT(collect(1), ElementsAre(Completion{exit_tag(1), -ECHILD}));
}

TEST_P(BackendTest, ExitWaitOnAProcessThatIsNotOurChildGivesEchildAtOnce) {
    OwnedFd parent(pidfd_open(::getppid()));
    ASSERT_GE(parent.get(), 0);
    siginfo_t info{};
    backend().wait_exit(exit_tag(1), parent.get(), &info);
    EXPECT_THAT(collect(1, 2s), ElementsAre(Completion{exit_tag(1), -ECHILD}));
}

TEST_P(BackendTest, HundredExitsWaitedTogetherAreAllReportedAndReaped) {
    // Every child blocks on a pipe until the parent closes its end, so all
    // hundred waits are pending before the first exit.
    constexpr std::uint32_t kChildren = 100;
    Pipe go;
    std::vector<std::unique_ptr<Child>> children;
    for (std::uint32_t i = 0; i < kChildren; ++i) {
        children.push_back(std::make_unique<Child>([&go, i] {
            ::close(go.write_end);
            // POLLHUP once the last write end is gone.
            pollfd hangup{go.read_end, POLLIN, 0};
            while (::poll(&hangup, 1, -1) < 0) {
            }
            return static_cast<int>(i);
        }));
    }
    std::array<siginfo_t, kChildren> infos{};
    for (std::uint32_t i = 0; i < kChildren; ++i) {
        backend().wait_exit(exit_tag(i), children[i]->pidfd(), &infos[i]);
    }
    backend().submit();
    go.close_write();

    const std::vector<Completion> got = collect(kChildren);
    ASSERT_EQ(got.size(), kChildren);
    std::array<bool, kChildren> seen{};
    for (const Completion& c : got) {
        ASSERT_EQ(c.tag.kind, TagKind::ProcessExit);
        ASSERT_LT(c.tag.slot, kChildren);
        EXPECT_EQ(c.result, 0);
        EXPECT_FALSE(seen[c.tag.slot]) << "slot " << c.tag.slot << " completed twice";
        seen[c.tag.slot] = true;
        Child& child = *children[c.tag.slot];
        child.mark_reaped();
        EXPECT_EQ(infos[c.tag.slot].si_pid, child.pid());
        EXPECT_EQ(infos[c.tag.slot].si_code, CLD_EXITED);
        EXPECT_EQ(infos[c.tag.slot].si_status, static_cast<int>(c.tag.slot));
        EXPECT_TRUE(child.is_reaped());
    }
}

}  // namespace
}  // namespace superv::loop::test

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "backend_fixture.hpp"

namespace superv::loop::test {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

constexpr Tag kTimer{TagKind::ProcessTimer, 3, 7};

TEST_P(BackendTest, CancelledTimerCompletesWithEcanceledAndNeverFires) {
    backend().timer(kTimer, Clock::now() + 30ms);
    backend().submit();
    backend().cancel(kTimer);

    EXPECT_THAT(collect(1), ElementsAre(Completion{kTimer, -ECANCELED}));
    expect_only_sentinel(100ms);  // well past the cancelled deadline
}

TEST_P(BackendTest, CancelBeforeSubmitStillCompletesExactlyOnce) {
    backend().timer(kTimer, Clock::now() + 30ms);
    backend().cancel(kTimer);

    EXPECT_THAT(collect(1), ElementsAre(Completion{kTimer, -ECANCELED}));
    expect_only_sentinel(100ms);
}

TEST_P(BackendTest, CancelOfAnUnknownTagDoesNothing) {
    backend().cancel(kTimer);
    expect_only_sentinel();
}

TEST_P(BackendTest, CancelAfterCompletionDoesNothing) {
    backend().timer(kTimer, Clock::now());
    EXPECT_THAT(collect(1), ElementsAre(Completion{kTimer, 0}));

    backend().cancel(kTimer);
    expect_only_sentinel();
}

TEST_P(BackendTest, CancelledReadLeavesTheDataUnread) {
    Pipe pipe;
    std::byte buf[16];
    const Tag tag{TagKind::OutputRead, 1, 1};
    backend().read(tag, pipe.read_end, buf);
    backend().submit();
    backend().cancel(tag);
    EXPECT_THAT(collect(1), ElementsAre(Completion{tag, -ECANCELED}));

    ASSERT_EQ(::write(pipe.write_end, "x", 1), 1);
    expect_only_sentinel();
    char got = 0;
    EXPECT_EQ(::read(pipe.read_end, &got, 1), 1);
    EXPECT_EQ(got, 'x');
}

TEST_P(BackendTest, CancelledExitWaitLeavesTheProcessAlone) {
    Child child([] {
        for (;;)
            ::pause();
        return 0;
    });
    siginfo_t info{};
    const Tag tag{TagKind::ProcessExit, 1, 1};
    backend().wait_exit(tag, child.pidfd(), &info);
    backend().submit();
    backend().cancel(tag);

    EXPECT_THAT(collect(1), ElementsAre(Completion{tag, -ECANCELED}));
    EXPECT_EQ(send_signal(child.pidfd(), 0), 0) << "still running";
    EXPECT_FALSE(child.is_reaped());
}

TEST_P(BackendTest, DestroyingTheBackendCancelsPendingRequestsPromptly) {
    Child child([] {
        for (;;)
            ::pause();
        return 0;
    });
    Pipe pipe;
    std::byte buf[16];
    siginfo_t info{};
    backend().wait_exit(Tag{TagKind::ProcessExit, 1, 1}, child.pidfd(), &info);
    backend().read(Tag{TagKind::OutputRead, 1, 1}, pipe.read_end, buf);
    backend().timer(kTimer, Clock::now() + 10s);
    backend().submit();
    // And one whose result is decided but not yet handed out.
    Child exited([] { return 0; });
    exited.wait_until_zombie();
    siginfo_t exited_info{};
    backend().wait_exit(Tag{TagKind::ProcessExit, 2, 1}, exited.pidfd(), &exited_info);

    const Clock::time_point start = Clock::now();
    destroy_backend();
    EXPECT_LT(Clock::now() - start, 500ms);
    // Nothing reaped the child, and nothing reads the pipe any more.
    EXPECT_EQ(send_signal(child.pidfd(), 0), 0);
    ASSERT_EQ(::write(pipe.write_end, "x", 1), 1);
    char got = 0;
    EXPECT_EQ(::read(pipe.read_end, &got, 1), 1);
}

TEST_P(BackendTest, RequestWithATagStillPendingCompletesWithEexist) {
    backend().timer(kTimer, Clock::now() + 10s);
    backend().timer(kTimer, Clock::now());
    EXPECT_THAT(collect(1), ElementsAre(Completion{kTimer, -EEXIST}));

    backend().cancel(kTimer);
    EXPECT_THAT(collect(1), ElementsAre(Completion{kTimer, -ECANCELED}));
}

TEST_P(BackendTest, TagStaysBusyUntilItsCompletionIsDelivered) {
    backend().timer(kTimer, Clock::now() + 10s);
    backend().cancel(kTimer);
    backend().timer(kTimer, Clock::now());
    EXPECT_THAT(collect(2),
                UnorderedElementsAre(Completion{kTimer, -ECANCELED}, Completion{kTimer, -EEXIST}));

    backend().timer(kTimer, Clock::now());
    EXPECT_THAT(collect(1), ElementsAre(Completion{kTimer, 0}));
}

TEST_P(BackendTest, RequestTaggedInternalCompletesWithEinval) {
    const Tag internal{TagKind::Internal, 0, 0};
    backend().timer(internal, Clock::now());
    EXPECT_THAT(collect(1), ElementsAre(Completion{internal, -EINVAL}));
}

}  // namespace
}  // namespace superv::loop::test

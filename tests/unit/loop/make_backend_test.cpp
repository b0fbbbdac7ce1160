#include <gtest/gtest.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstddef>
#include <string>

#include "loop_test_support.hpp"
#include "superv/loop/backend.hpp"

namespace superv::loop {
namespace {

// Makes io_uring_setup fail with `err` in this process, as a container's
// seccomp profile does.
bool refuse_io_uring_setup(int err) {
    sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
        BPF_STMT(BPF_RET | BPF_K,
                 SECCOMP_RET_ERRNO | (static_cast<unsigned>(err) & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog program{static_cast<unsigned short>(std::size(filter)), filter};
    return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
           ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

TEST(MakeBackend, EpollKindGivesTheEpollBackend) {
    auto backend = make_backend(BackendKind::Epoll, nullptr);
    ASSERT_TRUE(backend) << backend.error().message();
    EXPECT_EQ(backend.value()->name(), "epoll");
}

TEST(MakeBackend, UringKindNamesItsExitPath) {
    auto backend = make_backend(BackendKind::Uring, nullptr);
    if (!backend) GTEST_SKIP() << backend.error().message();
    const std::string_view name = backend.value()->name();
    EXPECT_TRUE(name == "io_uring (waitid)" || name == "io_uring (poll)") << name;
}

TEST(MakeBackend, UringPollKindWaitsForExitsWithPoll) {
    auto backend = make_backend(BackendKind::UringPoll, nullptr);
    if (!backend) GTEST_SKIP() << backend.error().message();
    EXPECT_EQ(backend.value()->name(), "io_uring (poll)");
}

TEST(MakeBackend, AutoPrefersIoUringAndSaysWhyWhenItFellBack) {
    std::string why;
    auto backend = make_backend(BackendKind::Auto, &why);
    ASSERT_TRUE(backend) << backend.error().message();
    if (backend.value()->name() == "epoll") {
        EXPECT_NE(why.find("io_uring"), std::string::npos) << why;
    } else {
        EXPECT_EQ(why, "");
    }
}

class RefusedIoUring : public ::testing::TestWithParam<int> {};

TEST_P(RefusedIoUring, AutoFallsBackToEpollAndUringKindFails) {
    // In a child: a seccomp filter cannot be removed again.
    const int err = GetParam();
    test::Child child([err] {
        if (!refuse_io_uring_setup(err)) return 10;
        std::string why;
        auto fallback = make_backend(BackendKind::Auto, &why);
        if (!fallback || fallback.value()->name() != "epoll") return 11;
        if (why != SysError{"io_uring_setup", err}.message()) return 12;
        auto refused = make_backend(BackendKind::Uring, nullptr);
        if (refused || refused.error().err != err) return 13;
        return 0;
    });
    siginfo_t info{};
    ASSERT_EQ(::waitid(P_PIDFD, static_cast<id_t>(child.pidfd()), &info, WEXITED), 0);
    child.mark_reaped();
    EXPECT_EQ(info.si_code, CLD_EXITED);
    EXPECT_EQ(info.si_status, 0) << "10: no seccomp, 11: no epoll fallback, 12: wrong reason, "
                                    "13: Uring did not fail with the errno";
}

// Docker's default profile (EPERM) and a filter that hides the call (ENOSYS).
INSTANTIATE_TEST_SUITE_P(SeccompErrors, RefusedIoUring, ::testing::Values(EPERM, ENOSYS),
                         [](const ::testing::TestParamInfo<int>& info) {
                             return info.param == EPERM ? "Eperm" : "Enosys";
                         });

}  // namespace
}  // namespace superv::loop

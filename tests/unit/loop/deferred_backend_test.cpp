#include "superv/loop/deferred_backend.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <vector>

#include "loop_test_support.hpp"

namespace superv::loop::test {
namespace deferred {

using namespace std::chrono_literals;
using ::testing::UnorderedElementsAre;

constexpr Tag kExit{TagKind::ProcessExit, 1, 1};
constexpr Tag kRead{TagKind::OutputRead, 2, 1};
constexpr Tag kTimer{TagKind::ProcessTimer, 3, 1};
constexpr Tag kCancelled{TagKind::ProcessTimer, 4, 1};
constexpr Tag kGuard{TagKind::DaemonTimer, 0xffffff, 0xffffffff};

// Every completion until `count` arrived, or the guard's 10 s ran out.
std::vector<Completion> collect_all(Backend& backend, std::size_t count) {
    std::vector<Completion> got, batch;
    backend.timer(kGuard, Clock::now() + 10s);
    while (got.size() < count) {
        batch.clear();
        if (auto waited = backend.wait(batch); !waited) {
            ADD_FAILURE() << "wait: " << waited.error().message();
            break;
        }
        bool guard = false;
        for (const Completion& c : batch) {
            if (c.tag == kGuard) {
                guard = true;
            } else {
                got.push_back(c);
            }
        }
        if (guard) break;
    }
    backend.cancel(kGuard);
    return got;
}

class DeferredBackendTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(DeferredBackendTest, RequestsBeforeAttachCompleteOnTheRealBackend) {
    DeferredBackend deferred;
    EXPECT_EQ(deferred.name(), "none yet");
    std::vector<Completion> none;
    EXPECT_FALSE(deferred.wait(none).ok());
    EXPECT_EQ(deferred.submit(), 0U);

    // A program that ended before there was any loop: still seen.
    Child child([] { return 3; });
    child.wait_until_zombie();
    siginfo_t info{};
    deferred.wait_exit(kExit, child.pidfd(), &info);
    Pipe pipe;
    ASSERT_EQ(::write(pipe.write_end, "hi", 2), 2);
    std::byte buf[8];
    deferred.read(kRead, pipe.read_end, buf);
    deferred.timer(kTimer, Clock::now());
    deferred.timer(kCancelled, Clock::now() + 1h);
    deferred.cancel(kCancelled);

    auto real = make_backend(GetParam(), nullptr);
    if (!real && GetParam() != BackendKind::Epoll) GTEST_SKIP() << real.error().message();
    ASSERT_TRUE(real.ok()) << real.error().message();
    deferred.attach(std::move(real.value()));
    EXPECT_TRUE(deferred.attached());
    EXPECT_NE(deferred.name(), "none yet");

    EXPECT_THAT(collect_all(deferred, 4),
                UnorderedElementsAre(Completion{kExit, 0}, Completion{kRead, 2},
                                     Completion{kTimer, 0}, Completion{kCancelled, -ECANCELED}));
    child.mark_reaped();
    EXPECT_EQ(info.si_code, CLD_EXITED);
    EXPECT_EQ(info.si_status, 3);
    EXPECT_EQ(text(buf, 2), "hi");
}

TEST_P(DeferredBackendTest, AfterAttachCallsGoStraightThrough) {
    DeferredBackend deferred;
    auto real = make_backend(GetParam(), nullptr);
    if (!real && GetParam() != BackendKind::Epoll) GTEST_SKIP() << real.error().message();
    ASSERT_TRUE(real.ok()) << real.error().message();
    deferred.attach(std::move(real.value()));
    deferred.timer(kTimer, Clock::now());
    EXPECT_THAT(collect_all(deferred, 1), UnorderedElementsAre(Completion{kTimer, 0}));
}

INSTANTIATE_TEST_SUITE_P(Backends, DeferredBackendTest,
                         ::testing::Values(BackendKind::Uring, BackendKind::Epoll));

}  // namespace deferred
}  // namespace superv::loop::test

#include "backend_fixture.hpp"

#include <cerrno>

namespace superv::loop::test {
namespace {

// Tags the tests never use for their own requests.
constexpr Tag kGuard{TagKind::DaemonTimer, 0xffffff, 0xffffffff};
constexpr Tag kSentinel{TagKind::DaemonTimer, 0xffffff, 0xfffffffe};

}  // namespace

void BackendTest::SetUp() {
    auto made = make_backend(GetParam(), nullptr);
    if (!made) {
        const SysError& error = made.error();
        // A sandbox that refuses io_uring can still run the epoll cases.
        if (GetParam() != BackendKind::Epoll && (error.err == EPERM || error.err == ENOSYS)) {
            GTEST_SKIP() << "io_uring refused here: " << error.message();
        }
        FAIL() << error.message();
    }
    backend_ = std::move(made.value());
}

std::vector<Completion> BackendTest::collect(std::size_t count, Clock::duration limit) {
    std::vector<Completion> got;
    std::vector<Completion> batch;
    bool guard_fired = false;
    bool guard_done = false;
    backend_->timer(kGuard, Clock::now() + limit);
    const auto take = [&] {
        batch.clear();
        auto waited = backend_->wait(batch);
        if (!waited) {
            ADD_FAILURE() << "wait: " << waited.error().message();
            return false;
        }
        for (const Completion& c : batch) {
            if (c.tag == kGuard) {
                guard_done = true;
                guard_fired = c.result == 0;
            } else {
                got.push_back(c);
            }
        }
        return true;
    };
    while (got.size() < count && !guard_done) {
        if (!take()) return got;
    }
    if (guard_fired) {
        ADD_FAILURE() << "timed out: " << got.size() << " of " << count << " completions";
    }
    backend_->cancel(kGuard);
    while (!guard_done) {
        if (!take()) break;
    }
    return got;
}

std::vector<Completion> BackendTest::wait_once() {
    std::vector<Completion> out;
    auto waited = backend_->wait(out);
    if (!waited) ADD_FAILURE() << "wait: " << waited.error().message();
    return out;
}

void BackendTest::expect_only_sentinel(Clock::duration after) {
    backend_->timer(kSentinel, Clock::now() + after);
    EXPECT_THAT(collect(1), ::testing::ElementsAre(Completion{kSentinel, 0}));
}

INSTANTIATE_TEST_SUITE_P(AllBackends, BackendTest,
                         ::testing::Values(BackendKind::Uring, BackendKind::UringPoll,
                                           BackendKind::Epoll),
                         [](const ::testing::TestParamInfo<BackendKind>& info) {
                             switch (info.param) {
                                 case BackendKind::Uring:
                                     return "Uring";
                                 case BackendKind::UringPoll:
                                     return "UringPollExits";
                                 case BackendKind::Epoll:
                                     return "Epoll";
                                 case BackendKind::Auto:
                                     break;
                             }
                             return "Auto";
                         });

}  // namespace superv::loop::test

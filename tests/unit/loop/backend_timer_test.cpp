#include <signal.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <random>

#include "backend_fixture.hpp"

namespace superv::loop::test {
namespace {

using ::testing::ElementsAre;

constexpr Tag timer_tag(std::uint32_t slot) {
    return Tag{TagKind::ProcessTimer, slot, 1};
}

std::atomic<int> interruptions{0};

// Delivers SIGUSR1 to this process once, `after` from now, through a handler
// installed without SA_RESTART, and restores everything on destruction.
class SignalLater {
  public:
    explicit SignalLater(Clock::duration after) {
        struct sigaction action {};
        action.sa_handler = [](int) { interruptions.fetch_add(1); };
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGUSR1, &action, &previous_);
        sigevent event{};
        event.sigev_notify = SIGEV_SIGNAL;
        event.sigev_signo = SIGUSR1;
        ::timer_create(CLOCK_MONOTONIC, &event, &timer_);
        itimerspec when{};
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(after).count();
        when.it_value = timespec{ns / 1'000'000'000, ns % 1'000'000'000};
        ::timer_settime(timer_, 0, &when, nullptr);
    }
    ~SignalLater() {
        ::timer_delete(timer_);
        ::sigaction(SIGUSR1, &previous_, nullptr);
    }

  private:
    struct sigaction previous_ {};
    timer_t timer_{};
};

TEST_P(BackendTest, TimerFiresAtItsDeadlineNotBefore) {
    const Clock::time_point deadline = Clock::now() + 50ms;
    backend().timer(timer_tag(1), deadline);

    EXPECT_THAT(collect(1), ElementsAre(Completion{timer_tag(1), 0}));
    const Clock::time_point fired = Clock::now();
    EXPECT_GE(fired, deadline);
    EXPECT_LT(fired - deadline, 500ms);
}

TEST_P(BackendTest, TimerWithAPastDeadlineFiresAtOnce) {
    const Clock::time_point start = Clock::now();
    backend().timer(timer_tag(1), start - 1s);

    EXPECT_THAT(collect(1), ElementsAre(Completion{timer_tag(1), 0}));
    EXPECT_LT(Clock::now() - start, 500ms);
}

TEST_P(BackendTest, TimersOfOneBatchCompleteInDeadlineOrder) {
    // More timers than the io_uring SQ holds, queued in shuffled order: the
    // batch overflows the SQ and the order must come from the deadlines.
    constexpr std::uint32_t kTimers = 300;
    std::vector<std::uint32_t> ranks(kTimers);
    std::iota(ranks.begin(), ranks.end(), 0);
    std::shuffle(ranks.begin(), ranks.end(), std::mt19937(42));
    const Clock::time_point base = Clock::now() + 20ms;
    for (std::uint32_t rank : ranks)
        backend().timer(timer_tag(rank), base + rank * 300us);

    const std::vector<Completion> got = collect(kTimers);
    ASSERT_EQ(got.size(), kTimers);
    for (std::uint32_t i = 0; i < kTimers; ++i) {
        EXPECT_EQ(got[i], (Completion{timer_tag(i), 0})) << "at position " << i;
    }
}

TEST_P(BackendTest, CompletionsBeyondTheCompletionQueueSizeAreAllDelivered) {
    // 10000 timers already due at once: more CQEs than the io_uring CQ holds
    // (2048), so the kernel parks the rest on its overflow list.
    constexpr std::uint32_t kTimers = 10000;
    const Clock::time_point past = Clock::now() - 1s;
    for (std::uint32_t i = 0; i < kTimers; ++i)
        backend().timer(timer_tag(i), past);

    const std::vector<Completion> got = collect(kTimers);
    ASSERT_EQ(got.size(), kTimers);
    std::vector<bool> seen(kTimers);
    for (const Completion& c : got) {
        ASSERT_LT(c.tag.slot, kTimers);
        EXPECT_EQ(c.result, 0);
        EXPECT_FALSE(seen[c.tag.slot]) << "slot " << c.tag.slot << " completed twice";
        seen[c.tag.slot] = true;
    }
}

TEST_P(BackendTest, WaitSleepsWhileNothingHappens) {
    // An idle pipe read and a timer 200 ms away: the first wait() returns the
    // timer and only the timer, not before its deadline.
    Pipe pipe;
    std::byte buf[16];
    const Tag read_tag{TagKind::OutputRead, 1, 1};
    backend().read(read_tag, pipe.read_end, buf);
    const Clock::time_point deadline = Clock::now() + 200ms;
    backend().timer(timer_tag(1), deadline);

    EXPECT_THAT(wait_once(), ElementsAre(Completion{timer_tag(1), 0}));
    EXPECT_GE(Clock::now(), deadline);

    backend().cancel(read_tag);
    EXPECT_THAT(collect(1), ElementsAre(Completion{read_tag, -ECANCELED}));
}

TEST_P(BackendTest, WaitInterruptedByASignalKeepsWaiting) {
    interruptions = 0;
    SignalLater signal(20ms);
    backend().timer(timer_tag(1), Clock::now() + 150ms);
    // Submitted beforehand: io_uring_enter reports an interrupted wait as
    // -EINTR only when that call submitted nothing.
    backend().submit();

    EXPECT_THAT(wait_once(), ElementsAre(Completion{timer_tag(1), 0}));
    EXPECT_EQ(interruptions.load(), 1);
}

TEST_P(BackendTest, SubmitHandsOverEveryQueuedRequest) {
    backend().timer(timer_tag(1), Clock::now() + 10ms);
    backend().timer(timer_tag(2), Clock::now() + 20ms);

    EXPECT_EQ(backend().submit(), 2u);
    EXPECT_EQ(backend().submit(), 0u);
    EXPECT_THAT(collect(2), ElementsAre(Completion{timer_tag(1), 0}, Completion{timer_tag(2), 0}));
}

}  // namespace
}  // namespace superv::loop::test

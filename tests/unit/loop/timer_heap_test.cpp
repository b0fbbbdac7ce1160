#include "superv/loop/timer_heap.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <utility>

namespace superv::loop {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const Clock::time_point t0 = Clock::time_point{} + 1h;

TEST(TimerHeap, PopsDueTimersEarliestFirst) {
    TimerHeap heap;
    heap.push(1, t0 + 30ms);
    heap.push(2, t0 + 10ms);
    heap.push(3, t0 + 20ms);
    std::vector<std::uint64_t> due;

    heap.pop_due(t0 + 25ms, due);
    EXPECT_THAT(due, ElementsAre(2, 3));
    EXPECT_EQ(heap.size(), 1u);
    EXPECT_EQ(heap.earliest(), t0 + 30ms);
}

TEST(TimerHeap, TimerDueExactlyNowIsDue) {
    TimerHeap heap;
    heap.push(1, t0);
    std::vector<std::uint64_t> due;
    heap.pop_due(t0, due);
    EXPECT_THAT(due, ElementsAre(1));
}

TEST(TimerHeap, EqualDeadlinesPopInTagOrder) {
    TimerHeap heap;
    for (std::uint64_t tag : {5, 1, 4, 2, 3})
        heap.push(tag, t0);
    std::vector<std::uint64_t> due;
    heap.pop_due(t0, due);
    EXPECT_THAT(due, ElementsAre(1, 2, 3, 4, 5));
}

TEST(TimerHeap, PushOfATagAlreadyThereIsRefused) {
    TimerHeap heap;
    EXPECT_TRUE(heap.push(1, t0 + 10ms));
    EXPECT_FALSE(heap.push(1, t0));
    EXPECT_EQ(heap.earliest(), t0 + 10ms);
    EXPECT_EQ(heap.size(), 1u);
}

TEST(TimerHeap, ErasedTimerNeverPopsAndEarliestMovesOn) {
    TimerHeap heap;
    heap.push(1, t0 + 10ms);
    heap.push(2, t0 + 20ms);
    EXPECT_TRUE(heap.erase(1));
    EXPECT_FALSE(heap.erase(1));
    EXPECT_FALSE(heap.contains(1));
    EXPECT_EQ(heap.earliest(), t0 + 20ms);

    std::vector<std::uint64_t> due;
    heap.pop_due(t0 + 1s, due);
    EXPECT_THAT(due, ElementsAre(2));
    EXPECT_TRUE(heap.empty());
}

TEST(TimerHeap, ManyPushesAndErasesKeepTheOrderOfASortedSet) {
    // Against a std::set of (deadline, tag), which sorts the same way.
    TimerHeap heap;
    std::set<std::pair<Clock::time_point, std::uint64_t>> model;
    std::mt19937 random(7);
    for (std::uint64_t tag = 0; tag < 2000; ++tag) {
        const auto deadline = t0 + std::chrono::milliseconds(random() % 500);
        heap.push(tag, deadline);
        model.emplace(deadline, tag);
        if (random() % 3 == 0) {
            const std::uint64_t victim = random() % (tag + 1);
            const bool erased = heap.erase(victim);
            EXPECT_EQ(erased,
                      std::erase_if(model, [&](const auto& e) { return e.second == victim; }) == 1);
        }
    }
    ASSERT_EQ(heap.size(), model.size());
    std::vector<std::uint64_t> due;
    heap.pop_due(t0 + 250ms, due);
    std::vector<std::uint64_t> expected;
    for (const auto& [deadline, tag] : model) {
        if (deadline <= t0 + 250ms) expected.push_back(tag);
    }
    EXPECT_EQ(due, expected);
    due.clear();
    heap.pop_due(t0 + 1s, due);
    EXPECT_EQ(due.size(), model.size() - expected.size());
    EXPECT_TRUE(heap.empty());
    due.clear();
    heap.pop_due(t0 + 2s, due);
    EXPECT_THAT(due, IsEmpty());
}

}  // namespace
}  // namespace superv::loop

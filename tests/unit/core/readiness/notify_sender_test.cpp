// attribute_sender: which supervised process a datagram counts for, walking
// a made-up process tree.
#include "superv/core/readiness/notify_sender.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace superv::core::readiness {
namespace {

// superv is 100; programs a (200) and b (300); 200 -> 210 (sh) -> 211
// (systemd-notify); 300 -> 310. 400 is unrelated (a child of init).
class NotifySenderTest : public ::testing::Test {
  protected:
    std::map<pid_t, ProcessAncestry> tree{
        {100, {1, 10}},   {200, {100, 20}}, {210, {200, 21}}, {211, {210, 22}},
        {300, {100, 30}}, {310, {300, 31}}, {400, {1, 40}},
    };
    std::set<pid_t> supervised{200, 300};
    int lookups = 0;

    std::optional<pid_t> attribute(pid_t sender, std::size_t depth = kMaxAncestryDepth) {
        return attribute_sender(
            sender, [this](pid_t pid) { return supervised.count(pid) != 0; },
            [this](pid_t pid) -> std::optional<ProcessAncestry> {
                ++lookups;
                auto it = tree.find(pid);
                if (it == tree.end()) return std::nullopt;
                return it->second;
            },
            depth);
    }
};

TEST_F(NotifySenderTest, AMainProcessSpeaksForItselfWithoutALookup) {
    EXPECT_EQ(attribute(200), 200);
    EXPECT_EQ(lookups, 0);
}

TEST_F(NotifySenderTest, ADescendantSpeaksForItsProgram) {
    EXPECT_EQ(attribute(211), 200);
    EXPECT_EQ(attribute(210), 200);
    EXPECT_EQ(attribute(310), 300);
}

TEST_F(NotifySenderTest, NoOneElseSpeaksForAProgram) {
    EXPECT_EQ(attribute(400), std::nullopt);  // up to init without meeting one
    EXPECT_EQ(attribute(100), std::nullopt);  // superv itself
    EXPECT_EQ(attribute(0), std::nullopt);    // outside superv's pid namespace
    EXPECT_EQ(attribute(-3), std::nullopt);
}

TEST_F(NotifySenderTest, ASenderThatIsGoneIsUnattributed) {
    tree.erase(211);
    EXPECT_EQ(attribute(211), std::nullopt);
}

TEST_F(NotifySenderTest, AnOrphanReparentedToSupervIsUnattributed) {
    tree[211].parent = 100;  // its shell exited; superv, the subreaper, adopted it
    EXPECT_EQ(attribute(211), std::nullopt);
}

TEST_F(NotifySenderTest, AReusedParentPidEndsTheWalk) {
    // 210 exited and its pid went to a process started after 211.
    tree[210] = ProcessAncestry{200, 99};
    EXPECT_EQ(attribute(211), std::nullopt);
    // A supervised pid younger than the sender's process is no ancestor either.
    tree[210] = ProcessAncestry{200, 21};
    tree[200].start_time = 50;
    EXPECT_EQ(attribute(211), std::nullopt);
}

TEST_F(NotifySenderTest, TheWalkIsBounded) {
    EXPECT_EQ(attribute(211, 2), 200);  // 211 -> 210 -> 200: two steps
    EXPECT_EQ(attribute(211, 1), std::nullopt);
    // A loop in the lookup's answers (a bogus /proc) cannot spin for ever.
    tree[500] = ProcessAncestry{501, 5};
    tree[501] = ProcessAncestry{500, 5};
    EXPECT_EQ(attribute(500), std::nullopt);
}

}  // namespace
}  // namespace superv::core::readiness

// The planner's replacements (restart, reload, update): each new instance
// starts as soon as its own old instance is gone and its conditions hold in
// the new instances of what it needs, not once the whole set has stopped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "planner_fixture.hpp"

namespace superv::core::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class PlannerReplaceTest : public PlannerTest {
  protected:
    // db <- web, and slow on its own, all RUNNING, all to be replaced.
    void replace_db_web_and_slow() {
        add("db");
        add("web", {on("db")});
        add("slow");
        build();
        all_running();
        request(Goal::Replace);
    }
};

TEST_F(PlannerReplaceTest, AChainOfThreeStopsDependentsFirstAndComesBackLinkByLink) {
    chain_db_app_web();
    all_running();
    request(Goal::Replace);
    Plan p = step();
    EXPECT_THAT(names(p.stop_now), ElementsAre("web"));
    EXPECT_THAT(waiting(p),
                ElementsAre("db: waiting for app to stop", "app: waiting for web to stop"));
    EXPECT_THAT(waiting(step()),
                ElementsAre("db: waiting for app to stop", "app: waiting for web to stop",
                            "web: waiting for its stop"));
    ended("web", State::Stopped);
    p = step();
    EXPECT_THAT(names(p.stop_now), ElementsAre("app"));
    EXPECT_THAT(p.start_now, IsEmpty());  // app is still its old instance
    ended("app", State::Stopped);
    EXPECT_THAT(names(step().stop_now), ElementsAre("db"));
    ended("db", State::Stopped);
    p = step();
    EXPECT_THAT(names(p.start_now), ElementsAre("db"));
    EXPECT_THAT(waiting(p),
                ElementsAre("app: waiting for db (ready)", "web: waiting for app (ready)"));
    running("db");
    EXPECT_THAT(names(step().start_now), ElementsAre("app"));
    running("app");
    EXPECT_THAT(names(step().start_now), ElementsAre("web"));
    running("web");
    EXPECT_TRUE(step().idle());
}

TEST_F(PlannerReplaceTest, AConditionOnAReplacedProcessHoldsOnlyForItsNewInstance) {
    add("db");
    add("web", {on("db", Condition::Started)});
    build();
    running("db");
    request(Goal::Replace, {"db"});
    request(Goal::Start, {"web"});
    Plan p = step();
    EXPECT_THAT(names(p.stop_now), ElementsAre("db"));
    EXPECT_THAT(p.start_now, IsEmpty());  // db is spawned, but that is the old instance
    EXPECT_THAT(waiting(p), ElementsAre("web: waiting for db (started)"));
    EXPECT_THAT(waiting(step()),
                ElementsAre("db: waiting for its stop", "web: waiting for db (started)"));
    ended("db", State::Stopped);
    EXPECT_THAT(names(step().start_now), ElementsAre("db"));
    EXPECT_THAT(names(step().start_now), ElementsAre("web"));
}

TEST_F(PlannerReplaceTest, TwentyNineFastProcessesComeBackWhileASlowOneIsStillStopping) {
    for (int i = 0; i < 29; ++i)
        add("fast" + std::to_string(i));
    add("slow");
    build();
    all_running();
    request(Goal::Replace);
    EXPECT_THAT(step().stop_now, SizeIs(30));  // one batch
    for (int i = 0; i < 29; ++i)
        ended("fast" + std::to_string(i), State::Stopped);
    Plan p = step();
    EXPECT_THAT(p.start_now, SizeIs(29));
    EXPECT_EQ(std::count(p.start_now.begin(), p.start_now.end(), id("slow")), 0);
    EXPECT_THAT(waiting(p), ElementsAre("slow: waiting for its stop"));
    for (int i = 0; i < 29; ++i)
        running("fast" + std::to_string(i));
    EXPECT_THAT(step().start_now, IsEmpty());
    ended("slow", State::Stopped);
    EXPECT_THAT(names(step().start_now), ElementsAre("slow"));
}

TEST_F(PlannerReplaceTest, ADependentReturnsOnItsDependencysNewInstanceWhileASlowOneStillStops) {
    replace_db_web_and_slow();
    EXPECT_THAT(names(step().stop_now), ElementsAre("web", "slow"));
    ended("web", State::Stopped);
    EXPECT_THAT(names(step().stop_now), ElementsAre("db"));
    ended("db", State::Stopped);
    EXPECT_THAT(names(step().start_now), ElementsAre("db"));
    running("db");
    EXPECT_THAT(names(step().start_now), ElementsAre("web"));
    EXPECT_EQ(fact("slow").state, State::Stopping);
}

TEST_F(PlannerReplaceTest, AOneshotWithoutAnOldInstanceRerunsAtOnce) {
    add_oneshot("migrate");
    add("web", {on("migrate")});
    build();
    completed("migrate");
    running("web");
    request(Goal::Replace);  // reload reruns one-shots
    Plan p = step();
    EXPECT_THAT(names(p.stop_now), ElementsAre("web"));
    EXPECT_THAT(names(p.start_now), ElementsAre("migrate"));
    ended("web", State::Stopped);
    EXPECT_THAT(waiting(step()), ElementsAre("web: waiting for migrate (completed)"));
    completed("migrate");
    EXPECT_THAT(names(step().start_now), ElementsAre("web"));
}

TEST_F(PlannerReplaceTest, ANewInstanceThatFailsBlocksItsDependents) {
    add("db");
    add("web", {on("db")});
    build();
    all_running();
    request(Goal::Replace);
    step();
    ended("web", State::Stopped);
    step();
    ended("db", State::Stopped);
    step();
    ended("db", State::Fatal);
    const Plan p = step();
    EXPECT_THAT(blocked(p), ElementsAre("web: dependency db is FATAL"));
    EXPECT_TRUE(p.idle());
}

TEST_F(PlannerReplaceTest, AnUpdateStopsReplacesAndStartsInOnePlan) {
    add("removed");
    add("db");               // added
    add("web", {on("db")});  // changed
    build();
    running("removed");
    running("web");
    request(Goal::Stop, {"removed"});
    request(Goal::Replace, {"web"});
    request(Goal::Start, {"db"});
    Plan p = step();
    EXPECT_THAT(names(p.stop_now), ElementsAre("web", "removed"));
    EXPECT_THAT(names(p.start_now), ElementsAre("db"));
    ended("web", State::Stopped);
    ended("removed", State::Stopped);
    p = step();
    EXPECT_THAT(waiting(p), ElementsAre("web: waiting for db (ready)"));
    running("db");
    EXPECT_THAT(names(step().start_now), ElementsAre("web"));
}

TEST_F(PlannerReplaceTest, PlanningTwiceGivesTheSameAnswerAtEveryStep) {
    replace_db_web_and_slow();
    for (int round = 0; round < 6; ++round) {
        EXPECT_EQ(plan_now(), plan_now());
        const Plan p = step();
        EXPECT_EQ(plan_now().stop_now, std::vector<std::size_t>{});
        EXPECT_EQ(plan_now().start_now, std::vector<std::size_t>{});
        for (std::size_t i : p.stop_now)
            ended(specs_[i].display_name(), State::Stopped);
        for (std::size_t i : p.start_now)
            running(specs_[i].display_name());
    }
    EXPECT_TRUE(plan_now().idle());
}

TEST_F(PlannerReplaceTest, AThousandProcessChainPlansEachStep) {
    constexpr int kLength = 1000;
    add("p0");
    for (int i = 1; i < kLength; ++i)
        add("p" + std::to_string(i), {on("p" + std::to_string(i - 1))});
    build();
    request(Goal::Start);
    Plan p = plan_now();
    EXPECT_THAT(names(p.start_now), ElementsAre("p0"));
    ASSERT_THAT(p.waiting, SizeIs(kLength - 1));
    EXPECT_EQ(describe(graph_, p.waiting.back()), "waiting for p998 (ready)");
    for (int i = 0; i < kLength / 2; ++i) {
        spawned("p" + std::to_string(i));
        running("p" + std::to_string(i));
    }
    EXPECT_THAT(names(plan_now().start_now), ElementsAre("p500"));
    spawned("p500");
    ended("p500", State::Fatal);
    p = plan_now();
    ASSERT_THAT(p.blocked, SizeIs(kLength / 2 - 1));
    EXPECT_EQ(p.blocked.back().cause, id("p500"));
    EXPECT_EQ(p.blocked.back().via, id("p998"));
    EXPECT_TRUE(p.idle());

    all_running();
    request(Goal::Replace);
    p = plan_now();
    EXPECT_THAT(names(p.stop_now), ElementsAre("p999"));
    EXPECT_THAT(p.waiting, SizeIs(kLength - 1));
}

}  // namespace
}  // namespace superv::core::test

// The planner's starts as a specification: what may be spawned now, what
// waits and for what, what can never start and because of whom.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "planner_fixture.hpp"

namespace superv::core::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST_F(PlannerTest, AChainStartsLinkByLinkEachOnceItsDependencyIsReady) {
    chain_db_app_web();
    request(Goal::Start);
    Plan p = step();
    EXPECT_THAT(names(p.start_now), ElementsAre("db"));
    EXPECT_THAT(waiting(p),
                ElementsAre("app: waiting for db (ready)", "web: waiting for app (ready)"));
    running("db", false);  // RUNNING without its `ready` yet
    EXPECT_THAT(step().start_now, IsEmpty());
    running("db");
    EXPECT_THAT(names(step().start_now), ElementsAre("app"));
    running("app");
    p = step();
    EXPECT_THAT(names(p.start_now), ElementsAre("web"));
    EXPECT_TRUE(p.waiting.empty());
    running("web");
    EXPECT_TRUE(step().idle());
}

TEST_F(PlannerTest, IndependentProcessesStartTogetherInOneBatch) {
    add("a");
    add("b");
    add("c");
    build();
    request(Goal::Start);
    const Plan p = plan_now();
    EXPECT_THAT(names(p.start_now), ElementsAre("a", "b", "c"));
    EXPECT_TRUE(p.waiting.empty());
}

TEST_F(PlannerTest, ADiamondStartsEachSideOnItsOwnConditionAndTheTopAfterBoth) {
    add("base");
    add("left", {on("base", Condition::Started)});
    add("right", {on("base")});
    add("top", {on("left"), on("right")});
    build();
    request(Goal::Start);
    EXPECT_THAT(names(step().start_now), ElementsAre("base"));
    Plan p = step();  // base is STARTING: spawned is enough for left
    EXPECT_THAT(names(p.start_now), ElementsAre("left"));
    EXPECT_THAT(waiting(p),
                ElementsAre("right: waiting for base (ready)", "top: waiting for left (ready)"));
    running("base");
    running("left");
    p = step();
    EXPECT_THAT(names(p.start_now), ElementsAre("right"));
    EXPECT_THAT(waiting(p), ElementsAre("top: waiting for right (ready)"));
    running("right");
    EXPECT_THAT(names(step().start_now), ElementsAre("top"));
}

TEST_F(PlannerTest, AGroupTargetWaitsForEveryMember) {
    add_in_group("backend", "api");
    add_in_group("backend", "worker");
    add("web", {on("backend")});
    build();
    request(Goal::Start);
    Plan p = step();
    EXPECT_THAT(names(p.start_now), ElementsAre("backend:api", "backend:worker"));
    EXPECT_THAT(waiting(p), ElementsAre("web: waiting for backend:api (ready)"));
    running("backend:api");
    EXPECT_THAT(waiting(step()), ElementsAre("web: waiting for backend:worker (ready)"));
    running("backend:worker");
    EXPECT_THAT(names(step().start_now), ElementsAre("web"));
}

TEST_F(PlannerTest, ALowerPriorityIsSpawnedFirstInTheSameBatch) {
    add("c", {}, 300);
    add("a", {}, 100);
    add("b", {}, 200);
    add("d", {}, 100);
    build();
    request(Goal::Start);
    EXPECT_THAT(names(plan_now().start_now), ElementsAre("a", "d", "b", "c"));
}

TEST_F(PlannerTest, APriorityNeverHoldsBackAStartWhoseConditionsHold) {
    add("db", {}, 900);
    add("first", {on("db")}, 1);  // lowest number, but waits for db
    add("other", {}, 500);
    build();
    request(Goal::Start);
    const Plan p = plan_now();
    EXPECT_THAT(names(p.start_now), ElementsAre("other", "db"));
    EXPECT_THAT(waiting(p), ElementsAre("first: waiting for db (ready)"));
}

TEST_F(PlannerTest, AStartedConditionHoldsOnceTheTargetIsSpawned) {
    add("cache");
    add("web", {on("cache", Condition::Started)});
    build();
    request(Goal::Start);
    const Plan first = step();
    EXPECT_THAT(names(first.start_now), ElementsAre("cache"));
    EXPECT_THAT(waiting(first), ElementsAre("web: waiting for cache (started)"));
    EXPECT_THAT(names(step().start_now), ElementsAre("web"));
}

TEST_F(PlannerTest, AHealthyConditionWaitsForAPassingCheck) {
    add("db");
    add("web", {on("db", Condition::Healthy)});
    build();
    request(Goal::Start);
    step();
    running("db");
    EXPECT_THAT(waiting(step()), ElementsAre("web: waiting for db (healthy)"));
    fact("db").healthy = true;
    EXPECT_THAT(names(step().start_now), ElementsAre("web"));
}

TEST_F(PlannerTest, AOneshotsDependentsWaitUntilItCompleted) {
    add("db");
    add_oneshot("migrate", {on("db")});
    add("web", {on("migrate"), on("db")});  // `ready` on a oneshot means completed
    build();
    request(Goal::Start);
    EXPECT_THAT(names(step().start_now), ElementsAre("db"));
    running("db");
    EXPECT_THAT(names(step().start_now), ElementsAre("migrate"));
    EXPECT_THAT(waiting(step()), ElementsAre("web: waiting for migrate (completed)"));
    completed("migrate");
    EXPECT_THAT(names(step().start_now), ElementsAre("web"));
}

TEST_F(PlannerTest, StartLeavesACompletedOneshotAndRunningRequirementsAlone) {
    add("db");
    add_oneshot("migrate", {on("db")});
    add("web", {on("migrate"), on("db")});
    build();
    running("db");
    completed("migrate");
    request(Goal::Start);  // `start web`, with its requirements
    const Plan p = plan_now();
    EXPECT_THAT(names(p.start_now), ElementsAre("web"));
    EXPECT_TRUE(p.waiting.empty());
}

TEST_F(PlannerTest, AFatalDependencyBlocksItsDependentsThroughTheChainNamingIt) {
    add("db");
    add("app", {on("db")});
    add("web", {on("app")});
    add("other");
    build();
    request(Goal::Start);
    step();
    ended("db", State::Fatal);
    const Plan p = step();
    EXPECT_THAT(blocked(p),
                ElementsAre("app: dependency db is FATAL", "web: dependency db is FATAL"));
    EXPECT_EQ(p.blocked[1].via, id("app"));
    EXPECT_TRUE(p.idle());  // the operation can finish instead of waiting for ever
}

TEST_F(PlannerTest, AFatalMemberNotYetStartedIsStartedAgainAndItsDependentsWait) {
    add("db");
    add("web", {on("db")});
    build();
    ended("db", State::Fatal);
    request(Goal::Start);  // `start web` pulled db in
    const Plan p = plan_now();
    EXPECT_THAT(names(p.start_now), ElementsAre("db"));
    EXPECT_THAT(waiting(p), ElementsAre("web: waiting for db (ready)"));
    EXPECT_TRUE(p.blocked.empty());
}

TEST_F(PlannerTest, AStoppedDependencyOutsideTheRequestBlocksAsNotStarted) {
    add("db");
    add("cache");
    add("web", {on("db")});
    add("api", {on("cache")});
    build();
    fact("cache").state = State::Backoff;  // down for now, but retrying on its own
    request(Goal::Start, {"web", "api"});  // autostart of only these two
    const Plan p = plan_now();
    EXPECT_THAT(blocked(p), ElementsAre("web: dependency db is not started"));
    EXPECT_THAT(waiting(p), ElementsAre("api: waiting for cache (ready)"));
}

TEST_F(PlannerTest, ADependencyThatWentDownAfterItsStartBlocksNamingItsState) {
    add_oneshot("migrate");
    add("db");
    add("web", {on("migrate")});
    add("api", {on("db")});
    build();
    request(Goal::Start);
    step();
    ended("migrate", State::Fatal);  // a oneshot that failed startretries times
    ended("db", State::Exited);      // autorestart = never
    EXPECT_THAT(blocked(plan_now()),
                ElementsAre("web: dependency migrate is FATAL", "api: dependency db is EXITED"));
}

TEST_F(PlannerTest, AStartMemberThatIsStoppingStartsOnceItIsDown) {
    add("web");
    build();
    running("web");
    fact("web").state = State::Stopping;  // someone else's stop
    request(Goal::Start);
    EXPECT_THAT(waiting(plan_now()), ElementsAre("web: waiting for its stop"));
    ended("web", State::Stopped);
    EXPECT_THAT(names(plan_now().start_now), ElementsAre("web"));
}

TEST_F(PlannerTest, PlanningTwiceGivesTheSameAnswerAndWhatWasIssuedIsNotReturnedAgain) {
    add("db");
    add("web", {on("db")});
    add("other");
    build();
    request(Goal::Start);
    EXPECT_EQ(plan_now(), plan_now());
    step();
    EXPECT_EQ(plan_now(), plan_now());
    EXPECT_THAT(plan_now().start_now, IsEmpty());
    ended("other", State::Fatal);  // its start was issued: not respawned by the planner
    EXPECT_THAT(plan_now().start_now, IsEmpty());
    running("db");
    EXPECT_THAT(names(plan_now().start_now), ElementsAre("web"));
}

TEST_F(PlannerTest, ProcessesOnACycleAreBlockedAndTheRestStarts) {
    add("a", {on("b")});
    add("b", {on("a")});
    add("c");
    add("d", {on("a")});
    build();
    request(Goal::Start);
    const Plan p = plan_now();
    EXPECT_THAT(names(p.start_now), ElementsAre("c"));
    EXPECT_THAT(blocked(p), UnorderedElementsAre("a: dependency cycle", "b: dependency cycle",
                                                 "d: dependency cycle"));
}

}  // namespace
}  // namespace superv::core::test

// The planner's stops: dependents first, each wave one batch, priority
// ordering unrelated processes without ever deadlocking against the graph.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "planner_fixture.hpp"

namespace superv::core::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

using PlannerStopTest = PlannerTest;

TEST_F(PlannerStopTest, AChainStopsInReverseDependentsFirst) {
    chain_db_app_web();
    all_running();
    request(Goal::Stop);
    Plan p = step();
    EXPECT_THAT(names(p.stop_now), ElementsAre("web"));
    EXPECT_THAT(waiting(p),
                ElementsAre("db: waiting for app to stop", "app: waiting for web to stop"));
    EXPECT_THAT(step().stop_now, IsEmpty());  // web is STOPPING
    ended("web", State::Stopped);
    EXPECT_THAT(names(step().stop_now), ElementsAre("app"));
    ended("app", State::Exited);
    EXPECT_THAT(names(step().stop_now), ElementsAre("db"));
    ended("db", State::Stopped);
    EXPECT_TRUE(step().idle());
}

TEST_F(PlannerStopTest, ADependentThroughACompletedOneshotStopsFirst) {
    add("db");
    add("migrate", {on("db")});
    add("web", {on("migrate", Condition::Completed)});
    build();
    all_running();
    ended("migrate", State::Exited);
    request(Goal::Stop);
    Plan p = step();
    EXPECT_THAT(names(p.stop_now), ElementsAre("web"));
    EXPECT_THAT(waiting(p), ElementsAre("db: waiting for web to stop"));
    ended("web", State::Stopped);
    EXPECT_THAT(names(step().stop_now), ElementsAre("db"));
}

TEST_F(PlannerStopTest, IndependentDependentsStopInOneWave) {
    add("db");
    add("web", {on("db")});
    add("worker", {on("db", Condition::Started)});
    add("alone");
    build();
    all_running();
    request(Goal::Stop);
    EXPECT_THAT(names(step().stop_now), ElementsAre("worker", "web", "alone"));
    ended("web", State::Stopped);
    EXPECT_THAT(waiting(step()), ElementsAre("db: waiting for worker to stop"));
    ended("worker", State::Stopped);
    EXPECT_THAT(names(step().stop_now), ElementsAre("db"));
}

TEST_F(PlannerStopTest, AHigherPriorityNumberStopsFirstAmongUnrelatedProcesses) {
    add("a", {}, 100);
    add("b", {}, 200);
    add("c", {}, 200);
    build();
    all_running();
    request(Goal::Stop);
    Plan p = step();
    EXPECT_THAT(names(p.stop_now), ElementsAre("c", "b"));
    EXPECT_THAT(waiting(p), ElementsAre("a: waiting for b to stop (priority)"));
    ended("b", State::Stopped);
    EXPECT_THAT(waiting(step()), ElementsAre("a: waiting for c to stop (priority)"));
    ended("c", State::Stopped);
    EXPECT_THAT(names(step().stop_now), ElementsAre("a"));
}

TEST_F(PlannerStopTest, ADependencyTakesItsDependentsPriorityRankSoNothingDeadlocks) {
    add("db", {}, 900);
    add("web", {on("db")}, 100);
    add("cache", {}, 500);
    build();
    all_running();
    request(Goal::Stop);
    Plan p = step();
    EXPECT_THAT(names(p.stop_now), ElementsAre("cache"));
    EXPECT_THAT(waiting(p), ElementsAre("db: waiting for web to stop",
                                        "web: waiting for cache to stop (priority)"));
    ended("cache", State::Stopped);
    EXPECT_THAT(names(step().stop_now), ElementsAre("web"));
    ended("web", State::Stopped);
    EXPECT_THAT(names(step().stop_now), ElementsAre("db"));
}

TEST_F(PlannerStopTest, WhatIsDownIsNotSignalledAndABackoffIsStopped) {
    add("down");
    add("retrying");
    add("db");
    add("web", {on("db")});
    build();
    fact("retrying").state = State::Backoff;
    running("db");
    request(Goal::Stop);  // web is STOPPED: db need not wait for it
    const Plan p = plan_now();
    EXPECT_THAT(names(p.stop_now), ElementsAre("db", "retrying"));
    EXPECT_TRUE(p.waiting.empty());
}

TEST_F(PlannerStopTest, ADependentOutsideTheStopSetDoesNotHoldItBack) {
    add("db");
    add("web", {on("db")});
    build();
    all_running();
    request(Goal::Stop, {"db"});
    EXPECT_THAT(names(plan_now().stop_now), ElementsAre("db"));
}

TEST_F(PlannerStopTest, ProcessesOnACycleStopWithoutWaitingForEachOther) {
    add("a", {on("b")});
    add("b", {on("a")});
    add("c", {on("a")});
    build();
    all_running();
    request(Goal::Stop);
    EXPECT_THAT(names(plan_now().stop_now), UnorderedElementsAre("a", "b", "c"));
}

}  // namespace
}  // namespace superv::core::test

// The supervisor's rules with no process: orders, batches, escalation,
// retries and the facts it keeps, through FakeEffects.
#include "supervisor_rules.hpp"

#include <gmock/gmock.h>

namespace superv::core::test {
namespace {

using ::testing::ElementsAre;

TEST_F(SupervisorRules, StartSpawnsByAscendingPriorityInOneSubmit) {
    const ProcessId c = add(program("c", 20));
    const ProcessId a = add(program("a", 5));
    const ProcessId b = add(program("b", 10));
    start({c, a, b});
    EXPECT_THAT(take_calls(), ElementsAre("spawn a", "spawn b", "spawn c", "submit"));
    EXPECT_EQ(state("a"), State::Running);
    EXPECT_EQ(operations_done, 1);
    ASSERT_EQ(results.size(), 3u);
    EXPECT_TRUE(results[0].ok && results[1].ok && results[2].ok);
}

TEST_F(SupervisorRules, StartEndsOnlyOnceNoMemberIsStarting) {
    auto slow = program("slow");
    slow.startsecs = 1000ms;
    const ProcessId id = add(slow);
    start({id});
    EXPECT_EQ(state("slow"), State::Starting);
    EXPECT_EQ(operations_done, 0);
    advance(999ms);
    EXPECT_EQ(operations_done, 0);
    advance(1ms);
    EXPECT_EQ(state("slow"), State::Running);
    EXPECT_EQ(operations_done, 1);
    EXPECT_EQ(fx.pending_timers(), 0u) << "an idle daemon has no timer left";
}

TEST_F(SupervisorRules, StopSignalsAWholeLevelThenArmsItsGraceTimersInOneSubmit) {
    const ProcessId a = add(program("a"));
    const ProcessId b = add(program("b"));
    start({a, b});
    take_calls();
    stop({a, b});
    // Equal priorities: the reverse of the start order, as one batch.
    EXPECT_THAT(take_calls(), ElementsAre("signal b TERM", "timer b 2000", "signal a TERM",
                                          "timer a 2000", "submit"));
    EXPECT_EQ(state("a"), State::Stopping);
    exit("a", 0);
    EXPECT_EQ(operations_done, 1) << "only the start had finished";
    killed("b", SIGTERM);
    EXPECT_EQ(operations_done, 2);
    EXPECT_EQ(state("b"), State::Stopped);
    EXPECT_EQ(fx.pending_timers(), 0u);
}

TEST_F(SupervisorRules, StopGoesLevelByLevelHighestPriorityNumberFirst) {
    const ProcessId web = add(program("web", 20));
    const ProcessId db = add(program("db", 10));
    start({web, db});
    take_calls();
    stop({db, web});
    EXPECT_THAT(take_calls(), ElementsAre("signal web TERM", "timer web 2000", "submit"));
    exit("web", 0);
    EXPECT_THAT(take_calls(),
                ElementsAre("cancel web", "signal db TERM", "timer db 2000", "submit"));
    exit("db", 0);
    EXPECT_EQ(state("db"), State::Stopped);
}

TEST_F(SupervisorRules, GracePeriodOverSendsSigkillToTheGroupWhenKillasgroup) {
    auto stubborn = program("stubborn");
    stubborn.killasgroup = true;
    const ProcessId id = add(stubborn);
    start({id});
    stop({id});
    take_calls();
    advance(1999ms);
    EXPECT_TRUE(take_calls().back() == "submit");
    advance(1ms);
    EXPECT_THAT(take_calls(), ElementsAre("signal stubborn KILL group", "submit"));
    EXPECT_EQ(state("stubborn"), State::Stopping);
    killed("stubborn", SIGKILL);
    EXPECT_EQ(state("stubborn"), State::Stopped);
    EXPECT_EQ(process("stubborn").reason, "terminated by SIGKILL");
}

TEST_F(SupervisorRules, SpawnFailureIsReportedAndRetriedByPolicyThenFatal) {
    auto broken = program("broken");
    broken.startretries = 1;
    const ProcessId id = add(broken);
    fx.fail_spawn("broken", SpawnFailure{"execve /bin/broken: No such file or directory", ENOENT});
    start({id});
    EXPECT_EQ(state("broken"), State::Backoff);
    EXPECT_EQ(process("broken").spawn_error, "execve /bin/broken: No such file or directory");
    EXPECT_EQ(process("broken").spawn_errno, ENOENT);
    EXPECT_EQ(process("broken").pid(), 0);
    EXPECT_EQ(operations_done, 1) << "BACKOFF ends a start, as a failure";
    EXPECT_FALSE(results.at(0).ok);
    advance(1000ms);  // the first back-off
    EXPECT_EQ(state("broken"), State::Fatal);
    EXPECT_EQ(process("broken").reason,
              "too many start retries: execve /bin/broken: No such file or directory");
    EXPECT_EQ(fx.pending_timers(), 0u);
}

TEST_F(SupervisorRules, CrashWhileRunningRestartsOnFailureButNotOnExpectedExit) {
    auto worker = program("worker");
    worker.autorestart = config::AutoRestart::OnFailure;
    const ProcessId id = add(worker);
    start({id});
    const pid_t first = process("worker").pid();
    EXPECT_EQ(first, fx.pid_of("worker"));
    exit("worker", 3);
    EXPECT_EQ(state("worker"), State::Running);
    EXPECT_NE(process("worker").pid(), first);
    EXPECT_EQ(process("worker").spawn_error, "") << "a respawn that worked clears it";
    exit("worker", 0);
    EXPECT_EQ(state("worker"), State::Exited);
    EXPECT_EQ(process("worker").pid(), 0);
    EXPECT_EQ(process("worker").reason, "exit status 0");
    EXPECT_THAT(transitions, ElementsAre("worker STOPPED>STARTING", "worker STARTING>RUNNING",
                                         "worker RUNNING>EXITED", "worker EXITED>STARTING",
                                         "worker STARTING>RUNNING", "worker RUNNING>EXITED"));
}

TEST_F(SupervisorRules, UnexpectedExitWhileRunningSetsSupervisordsSpawnerr) {
    auto worker = program("worker");
    const ProcessId id = add(worker);
    start({id});
    killed("worker", SIGSEGV);
    EXPECT_EQ(process("worker").spawn_error, "Bad exit code -1");
    EXPECT_EQ(process("worker").last_exit, (ExitStatus{true, SIGSEGV}));
}

TEST_F(SupervisorRules, ExitWhileStartingIsAFailedStart) {
    auto quick = program("quick");
    quick.startsecs = 1000ms;
    quick.startretries = 0;
    const ProcessId id = add(quick);
    start({id});
    exit("quick", 0);
    EXPECT_EQ(state("quick"), State::Fatal);
    EXPECT_EQ(process("quick").spawn_error, "Exited too quickly (process log may have details)");
}

TEST_F(SupervisorRules, ALateCompletionOfAnEarlierTimerIsDropped) {
    auto slow = program("slow");
    slow.startsecs = 1000ms;
    const ProcessId id = add(slow);
    start({id});
    stop({id});  // cancels the startsecs timer, arms the grace timer
    const auto cancelled = fx.take_cancelled();
    ASSERT_EQ(cancelled.size(), 1u);
    // The cancelled timer completes as if it had fired first: not the grace timer's.
    deliver(loop::Completion{cancelled.front().tag, 0});
    EXPECT_EQ(state("slow"), State::Stopping);
    EXPECT_EQ(take_calls().back(), "submit");
}

TEST_F(SupervisorRules, RemoveRefusesALiveProcessAndFreesASettledOne) {
    const ProcessId id = add(program("a"));
    start({id});
    EXPECT_FALSE(sup.remove(id));
    stop({id});
    exit("a", 0);
    EXPECT_TRUE(sup.remove(id));
    EXPECT_EQ(sup.find(id), nullptr);
    const ProcessId next = add(program("b"));
    EXPECT_EQ(next.slot, id.slot);
    EXPECT_NE(next.gen, id.gen) << "an old id never reaches the new occupant";
    EXPECT_EQ(sup.find(id), nullptr);
}

TEST_F(SupervisorRules, SignalReportsMembersThatAreNotRunning) {
    const ProcessId up = add(program("up"));
    const ProcessId down = add(program("down"));
    start({up});
    take_calls();
    const auto r = sup.signal({up, down}, SIGHUP, true);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_FALSE(r[1].ok);
    EXPECT_EQ(r[1].detail, "not running");
    EXPECT_THAT(take_calls(), ElementsAre("signal up HUP group"));
}

TEST_F(SupervisorRules, KillSendsSigkillToEveryLiveMember) {
    auto grouped = program("grouped");
    grouped.killasgroup = true;
    const ProcessId a = add(grouped);
    const ProcessId b = add(program("b"));
    const ProcessId idle = add(program("idle"));
    start({a, b});
    take_calls();
    sup.kill({a, b, idle});
    EXPECT_THAT(take_calls(), ElementsAre("signal grouped KILL group", "signal b KILL"));
}

TEST_F(SupervisorRules, ManagedPidsAreTheLiveOnes) {
    const ProcessId id = add(program("a"));
    start({id});
    const pid_t pid = process("a").pid();
    EXPECT_TRUE(sup.is_managed(pid));
    EXPECT_TRUE(sup.any_live());
    stop({id});
    exit("a", 0);
    EXPECT_FALSE(sup.is_managed(pid));
    EXPECT_FALSE(sup.any_live());
}

}  // namespace
}  // namespace superv::core::test

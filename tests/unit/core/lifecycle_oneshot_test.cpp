// One-shots as a specification: STARTING while they run, EXITED and
// completed on an expected exit, a failed start on any other; and the
// mapping of a program's config to the Policy.
#include <gtest/gtest.h>

#include <csignal>

#include "lifecycle_table.hpp"
#include "superv/core/lifecycle.hpp"

namespace superv::core {
namespace {

using namespace lifecycle_table;  // the table's vocabulary: kStart, trace(), ...

TEST(LifecycleOneshot, RunsInStartingWithoutTimersAndCompletesOnAnExpectedExit) {
    Lifecycle lc(oneshot_policy());
    EXPECT_EQ(trace(lc, {kStart, kSpawned}), "Become(STARTING) Spawn | -");
    EXPECT_FALSE(lc.completed());
    EXPECT_FALSE(lc.ready());
    EXPECT_EQ(trace(lc, {exited(code(2))}), "Become(EXITED)");
    EXPECT_TRUE(lc.completed());
    EXPECT_TRUE(lc.ready());  // a oneshot's readiness is its completion
}

TEST(LifecycleOneshot, IgnoresReadinessAndStartsecs) {
    Policy p = oneshot_policy();
    p.needs_ready = true;
    Lifecycle lc(p);
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kReady, kTimer, kReadyTimeout, kReadyFailed}),
              "Become(STARTING) Spawn | - | - | - | - | -");
    EXPECT_EQ(lc.state(), State::Starting);
    EXPECT_EQ(trace(lc, {exited(code(0))}), "Become(EXITED)");
}

TEST(LifecycleOneshot, AnUnexpectedExitIsAFailedStartRetriedWithBackoff) {
    Lifecycle lc(oneshot_policy());
    EXPECT_EQ(trace(lc, {kStart, kSpawned, exited(code(1)), kTimer, kSpawned,
                         exited(signal(SIGTERM)), kTimer, kSpawnFailed}),
              "Become(STARTING) Spawn | - | Become(BACKOFF) Timer(1000) | "
              "Become(STARTING) Spawn | - | Become(BACKOFF) Timer(2000) | "
              "Become(STARTING) Spawn | Become(BACKOFF) Timer(4000)");
    EXPECT_EQ(lc.failed_starts(), 3);
    EXPECT_FALSE(lc.completed());
    EXPECT_EQ(trace(lc, {kTimer, kSpawned, exited(code(0))}),
              "Become(STARTING) Spawn | - | Become(EXITED)");
    EXPECT_EQ(lc.failed_starts(), 0);
    EXPECT_TRUE(lc.completed());
}

TEST(LifecycleOneshot, BecomesFatalAfterStartretries) {
    Lifecycle lc(oneshot_policy(1));
    EXPECT_EQ(trace(lc, {kStart, kSpawned, exited(code(1)), kTimer, kSpawned, exited(code(1))}),
              "Become(STARTING) Spawn | - | Become(BACKOFF) Timer(1000) | "
              "Become(STARTING) Spawn | - | ClearTimer Become(FATAL)");
    EXPECT_FALSE(lc.completed());
    EXPECT_FALSE(lc.ready());
}

TEST(LifecycleOneshot, AutorestartDoesNotApply) {
    Lifecycle always(oneshot_policy(3, AutoRestart::Always));
    EXPECT_EQ(trace(always, {kStart, kSpawned, exited(code(0))}),
              "Become(STARTING) Spawn | - | Become(EXITED)");
    Lifecycle never(oneshot_policy(3, AutoRestart::Never));
    EXPECT_EQ(trace(never, {kStart, kSpawned, exited(code(1))}),
              "Become(STARTING) Spawn | - | Become(BACKOFF) Timer(1000)");
}

TEST(LifecycleOneshot, StartingACompletedOneshotRunsItAgain) {
    Lifecycle lc(oneshot_policy());
    trace(lc, {kStart, kSpawned, exited(code(0))});
    ASSERT_TRUE(lc.completed());
    EXPECT_EQ(trace(lc, {kStart, kSpawned}), "Become(STARTING) Spawn | -");
    EXPECT_FALSE(lc.completed());
    EXPECT_FALSE(lc.ready());
    EXPECT_EQ(trace(lc, {exited(code(0))}), "Become(EXITED)");
    EXPECT_TRUE(lc.completed());
}

TEST(LifecycleOneshot, StopWhileItRunsEndsInStoppedNotCompleted) {
    Lifecycle lc(oneshot_policy());
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kStop, exited(code(0))}),
              "Become(STARTING) Spawn | - | Become(STOPPING) Signal(15) Timer(5000) | "
              "ClearTimer Become(STOPPED)");
    EXPECT_FALSE(lc.completed());
    EXPECT_FALSE(lc.ready());
    EXPECT_EQ(lc.failed_starts(), 0);
}

// ready() and completed() in every state a oneshot reaches.
TEST(LifecycleOneshot, CompletedOnlyInExitedAndReadyOnlyWhenCompleted) {
    Lifecycle lc(oneshot_policy(1));
    EXPECT_EQ(facts_of(lc), "STOPPED -");
    trace(lc, {kStart, kSpawned});
    EXPECT_EQ(facts_of(lc), "STARTING -");
    trace(lc, {exited(code(0))});
    EXPECT_EQ(facts_of(lc), "EXITED ready completed");
    trace(lc, {kStart, kSpawned, exited(code(1))});
    EXPECT_EQ(facts_of(lc), "BACKOFF -");
    trace(lc, {kTimer, kSpawned, kStop});
    EXPECT_EQ(facts_of(lc), "STOPPING -");
    trace(lc, {exited(code(0))});
    EXPECT_EQ(facts_of(lc), "STOPPED -");
    trace(lc, {kStart, kSpawnFailed, kTimer, kSpawnFailed});
    EXPECT_EQ(facts_of(lc), "FATAL -");
}

TEST(LifecyclePolicy, FromMapsReadinessAndType) {
    config::ProgramConfig program;
    Policy plain = Policy::from(program);
    EXPECT_FALSE(plain.needs_ready);
    EXPECT_EQ(plain.ready_timeout, milliseconds(90000));
    EXPECT_FALSE(plain.oneshot);

    program.ready.kind = config::Readiness::Kind::Tcp;
    program.ready_timeout = milliseconds(5000);
    program.type = config::ProgramType::Oneshot;
    Policy p = Policy::from(program);
    EXPECT_TRUE(p.needs_ready);
    EXPECT_EQ(p.ready_timeout, milliseconds(5000));
    EXPECT_TRUE(p.oneshot);
}

}  // namespace
}  // namespace superv::core

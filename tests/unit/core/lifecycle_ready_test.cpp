// Readiness as a specification: a fact beside the state, with a timer of its
// own. Each row is a run of events and the actions of each, one " | " apart
// ("-" for none).
#include <gtest/gtest.h>

#include <csignal>

#include "lifecycle_table.hpp"
#include "superv/core/lifecycle.hpp"

namespace superv::core {
namespace {

using namespace lifecycle_table;  // the table's vocabulary: kStart, trace(), ...

TEST(LifecycleReady, RunningOnlyOnceReadyAfterStartsecs) {
    Lifecycle lc(ready_policy());
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kTimer}),
              "Become(STARTING) Spawn | Timer(1000) ReadyTimer(30000) | -");
    EXPECT_EQ(lc.state(), State::Starting);
    EXPECT_EQ(trace(lc, {kReady}), "ClearReadyTimer Become(RUNNING)");
    EXPECT_TRUE(lc.ready());
}

TEST(LifecycleReady, ReadyBeforeStartsecsStillWaitsForStartsecs) {
    Lifecycle lc(ready_policy());
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kReady}),
              "Become(STARTING) Spawn | Timer(1000) ReadyTimer(30000) | ClearReadyTimer");
    EXPECT_EQ(lc.state(), State::Starting);
    EXPECT_TRUE(lc.ready());
    EXPECT_EQ(trace(lc, {kTimer}), "Become(RUNNING)");
}

TEST(LifecycleReady, ZeroStartsecsMakesReadyAloneEnough) {
    Policy p = ready_policy();
    p.startsecs = milliseconds(0);
    Lifecycle lc(p);
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kReady}),
              "Become(STARTING) Spawn | ReadyTimer(30000) | ClearReadyTimer Become(RUNNING)");
}

TEST(LifecycleReady, ZeroReadyTimeoutArmsNoReadyTimer) {
    Lifecycle lc(ready_policy(milliseconds(0)));
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kTimer, kReady}),
              "Become(STARTING) Spawn | Timer(1000) | - | Become(RUNNING)");
}

TEST(LifecycleReady, BecomingReadyResetsTheRetryCount) {
    Lifecycle lc(ready_policy());
    trace(lc, {kStart, kSpawnFailed, kTimer, kSpawned, kTimer});
    EXPECT_EQ(lc.failed_starts(), 1);
    trace(lc, {kReady});
    EXPECT_EQ(lc.failed_starts(), 0);
}

TEST(LifecycleReady, ReadyTimeoutKillsTheInstanceAndItsExitIsAFailedStart) {
    Lifecycle lc(ready_policy());
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kTimer, kReadyTimeout}),
              "Become(STARTING) Spawn | Timer(1000) ReadyTimer(30000) | - | Signal(9)");
    EXPECT_EQ(lc.state(), State::Starting);
    EXPECT_EQ(lc.ready_failure(), ReadyFailure::Timeout);
    EXPECT_EQ(trace(lc, {exited(signal(SIGKILL))}), "Become(BACKOFF) Timer(1000)");
    EXPECT_EQ(lc.ready_failure(), ReadyFailure::Timeout);  // for the reason
    EXPECT_EQ(trace(lc, {kTimer}), "Become(STARTING) Spawn");
    EXPECT_EQ(lc.ready_failure(), ReadyFailure::None);  // a new instance
}

TEST(LifecycleReady, EvenAnExpectedExitAfterTheReadyTimeoutIsAFailedStart) {
    Lifecycle lc(ready_policy());
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kTimer, kReadyTimeout, exited(code(0))}),
              "Become(STARTING) Spawn | Timer(1000) ReadyTimer(30000) | - | Signal(9) | "
              "Become(BACKOFF) Timer(1000)");
}

TEST(LifecycleReady, ReadyTimeoutBeforeStartsecsCancelsTheStartsecsTimerToo) {
    Policy p = ready_policy(milliseconds(500));
    p.killasgroup = true;
    Lifecycle lc(p);
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kReadyTimeout}),
              "Become(STARTING) Spawn | Timer(1000) ReadyTimer(500) | ClearTimer Signal(9,group)");
}

TEST(LifecycleReady, ReadyTimeoutsBecomeFatalAfterStartretries) {
    Lifecycle lc(ready_policy(milliseconds(30000), 1));
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kTimer, kReadyTimeout, exited(signal(SIGKILL))}),
              "Become(STARTING) Spawn | Timer(1000) ReadyTimer(30000) | - | Signal(9) | "
              "Become(BACKOFF) Timer(1000)");
    EXPECT_EQ(trace(lc, {kTimer, kSpawned, kTimer, kReadyTimeout, exited(signal(SIGKILL))}),
              "Become(STARTING) Spawn | Timer(1000) ReadyTimer(30000) | - | Signal(9) | "
              "ClearTimer Become(FATAL)");
    EXPECT_EQ(lc.ready_failure(), ReadyFailure::Timeout);
    EXPECT_FALSE(lc.ready());
}

TEST(LifecycleReady, ReadyAndStartsecsAfterTheReadyTimeoutAreIgnored) {
    Lifecycle lc(ready_policy(milliseconds(500)));
    trace(lc, {kStart, kSpawned, kReadyTimeout});
    EXPECT_EQ(trace(lc, {kReady, kTimer, kReadyTimeout, kReadyFailed}), "- | - | - | -");
    EXPECT_EQ(lc.state(), State::Starting);
    EXPECT_FALSE(lc.ready());
}

TEST(LifecycleReady, AFailedReadinessSourceEndsTheStartAtOnce) {
    Lifecycle lc(ready_policy());
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kReadyFailed, exited(code(0))}),
              "Become(STARTING) Spawn | Timer(1000) ReadyTimer(30000) | "
              "ClearReadyTimer ClearTimer Signal(9) | Become(BACKOFF) Timer(1000)");
    EXPECT_EQ(lc.ready_failure(), ReadyFailure::Source);
}

TEST(LifecycleReady, ReadyIsIgnoredOutsideAStartingInstance) {
    Lifecycle before_spawn(ready_policy());
    trace(before_spawn, {kStart});
    EXPECT_EQ(trace(before_spawn, {kReady}), "-");

    Lifecycle twice(ready_policy());
    trace(twice, {kStart, kSpawned, kReady});
    EXPECT_EQ(trace(twice, {kReady}), "-");

    Lifecycle run(ready_policy());
    trace(run, {kStart, kSpawned, kTimer, kReady});
    EXPECT_EQ(trace(run, {kReady}), "-");
    EXPECT_EQ(trace(run, {kStop, kReady}), "Become(STOPPING) Signal(15) Timer(5000) | -");
    EXPECT_EQ(trace(run, {exited(code(0)), kReady}), "ClearTimer Become(STOPPED) | -");
    EXPECT_FALSE(run.ready());

    Lifecycle stopping_unready(ready_policy());
    trace(stopping_unready, {kStart, kSpawned, kStop});
    EXPECT_EQ(trace(stopping_unready, {kReady}), "-");
    EXPECT_FALSE(stopping_unready.ready());

    Lifecycle backoff(ready_policy());
    trace(backoff, {kStart, kSpawnFailed});
    EXPECT_EQ(trace(backoff, {kReady}), "-");
    EXPECT_EQ(backoff.state(), State::Backoff);

    // Without `ready`, a report does not shorten startsecs.
    Lifecycle plain(policy());
    trace(plain, {kStart, kSpawned});
    EXPECT_EQ(trace(plain, {kReady, kReadyTimeout, kReadyFailed}), "- | - | -");
    EXPECT_EQ(plain.state(), State::Starting);
}

TEST(LifecycleReady, AStaleReadyTimeoutIsIgnored) {
    Lifecycle after_ready(ready_policy());
    trace(after_ready, {kStart, kSpawned, kReady});
    EXPECT_EQ(trace(after_ready, {kReadyTimeout, kTimer, kReadyTimeout}),
              "- | Become(RUNNING) | -");

    Lifecycle stopped(ready_policy());
    EXPECT_EQ(trace(stopped, {kReadyTimeout, kReadyFailed}), "- | -");
}

TEST(LifecycleReady, StopWhileStartingClearsTheReadyTimer) {
    Lifecycle lc(ready_policy());
    EXPECT_EQ(
        trace(lc, {kStart, kSpawned, kStop, exited(signal(SIGTERM))}),
        "Become(STARTING) Spawn | Timer(1000) ReadyTimer(30000) | "
        "ClearReadyTimer Become(STOPPING) Signal(15) Timer(5000) | ClearTimer Become(STOPPED)");
}

TEST(LifecycleReady, StopAfterTheReadyTimeoutMakesTheExitAStop) {
    Lifecycle lc(ready_policy());
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kTimer, kReadyTimeout, kStop, exited(signal(SIGKILL))}),
              "Become(STARTING) Spawn | Timer(1000) ReadyTimer(30000) | - | Signal(9) | "
              "Become(STOPPING) Signal(15) Timer(5000) | ClearTimer Become(STOPPED)");
    EXPECT_EQ(lc.ready_failure(), ReadyFailure::None);
    EXPECT_EQ(lc.failed_starts(), 0);
}

TEST(LifecycleReady, ExitWhileWaitingForReadyClearsTheReadyTimer) {
    Lifecycle lc(ready_policy());
    EXPECT_EQ(trace(lc, {kStart, kSpawned, kTimer, exited(code(1))}),
              "Become(STARTING) Spawn | Timer(1000) ReadyTimer(30000) | - | "
              "ClearReadyTimer Become(BACKOFF) Timer(1000)");
    EXPECT_EQ(lc.ready_failure(), ReadyFailure::None);  // an ordinary early exit
}

TEST(LifecycleReady, ARestartedInstanceWaitsForReadyAgain) {
    Policy p = ready_policy();
    p.autorestart = AutoRestart::Always;
    Lifecycle lc(p);
    trace(lc, {kStart, kSpawned, kTimer, kReady});
    EXPECT_EQ(trace(lc, {exited(code(0))}), "Become(EXITED) Become(STARTING) Spawn");
    EXPECT_FALSE(lc.ready());
    EXPECT_EQ(trace(lc, {kSpawned, kTimer}), "Timer(1000) ReadyTimer(30000) | -");
    EXPECT_EQ(lc.state(), State::Starting);
}

// ready() and completed() in every state a Long program reaches.
TEST(LifecycleReady, ReadyFollowsTheInstanceAndALongProgramNeverCompletes) {
    Lifecycle lc(ready_policy(milliseconds(30000), 0));
    EXPECT_EQ(facts_of(lc), "STOPPED -");
    trace(lc, {kStart, kSpawned});
    EXPECT_EQ(facts_of(lc), "STARTING -");
    trace(lc, {kReady});
    EXPECT_EQ(facts_of(lc), "STARTING ready");
    trace(lc, {kTimer});
    EXPECT_EQ(facts_of(lc), "RUNNING ready");
    trace(lc, {kStop});
    EXPECT_EQ(facts_of(lc), "STOPPING ready");  // the instance was ready and still runs
    trace(lc, {exited(code(0))});
    EXPECT_EQ(facts_of(lc), "STOPPED -");
    trace(lc, {kStart, kSpawnFailed});
    EXPECT_EQ(facts_of(lc), "FATAL -");

    Lifecycle plain(policy(AutoRestart::Never, 1));
    trace(plain, {kStart, kSpawned});
    EXPECT_EQ(facts_of(plain), "STARTING -");
    trace(plain, {kTimer});
    EXPECT_EQ(facts_of(plain), "RUNNING ready");  // ready once RUNNING
    trace(plain, {exited(code(0))});
    EXPECT_EQ(facts_of(plain), "EXITED -");
    trace(plain, {kStart, kSpawnFailed});
    EXPECT_EQ(facts_of(plain), "BACKOFF -");
}

}  // namespace
}  // namespace superv::core

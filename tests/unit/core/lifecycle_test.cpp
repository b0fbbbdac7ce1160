// The lifecycle as a specification: each test feeds events and checks the
// states entered and the actions asked for. No processes involved.
#include "superv/core/lifecycle.hpp"

#include <gtest/gtest.h>

#include <csignal>

#include "lifecycle_table.hpp"

namespace superv::core {
namespace {

using config::AutoRestart;
using lifecycle_table::code;
using lifecycle_table::describe;
using lifecycle_table::policy;
using lifecycle_table::signal;
using std::chrono::milliseconds;

// A lifecycle brought to RUNNING the ordinary way.
Lifecycle running(Policy p = policy()) {
    Lifecycle lc(std::move(p));
    lc.handle(event::Start{});
    lc.handle(event::Spawned{});
    lc.handle(event::TimerFired{});
    EXPECT_EQ(lc.state(), State::Running);
    return lc;
}

TEST(Lifecycle, StartsInStoppedAndSpawnsOnStart) {
    Lifecycle lc(policy());
    EXPECT_EQ(lc.state(), State::Stopped);
    EXPECT_EQ(describe(lc.handle(event::Start{})), "Become(STARTING) Spawn");
}

TEST(Lifecycle, ArmsStartsecsTimerAfterSpawnAndBecomesRunningWhenItFires) {
    Lifecycle lc(policy());
    lc.handle(event::Start{});
    EXPECT_EQ(describe(lc.handle(event::Spawned{})), "Timer(1000)");
    EXPECT_EQ(describe(lc.handle(event::TimerFired{})), "Become(RUNNING)");
}

TEST(Lifecycle, ZeroStartsecsIsRunningAtOnce) {
    Policy p = policy();
    p.startsecs = milliseconds(0);
    Lifecycle lc(p);
    lc.handle(event::Start{});
    EXPECT_EQ(describe(lc.handle(event::Spawned{})), "Become(RUNNING)");
}

TEST(Lifecycle, ExitDuringStartsecsIsAFailedStartWithExponentialBackoff) {
    Lifecycle lc(policy());
    lc.handle(event::Start{});
    lc.handle(event::Spawned{});
    EXPECT_EQ(describe(lc.handle(event::Exited{code(0)})), "Become(BACKOFF) Timer(1000)");
    EXPECT_EQ(describe(lc.handle(event::TimerFired{})), "Become(STARTING) Spawn");
    lc.handle(event::Spawned{});
    EXPECT_EQ(describe(lc.handle(event::Exited{code(1)})), "Become(BACKOFF) Timer(2000)");
    lc.handle(event::TimerFired{});
    lc.handle(event::Spawned{});
    EXPECT_EQ(describe(lc.handle(event::Exited{code(1)})), "Become(BACKOFF) Timer(4000)");
    EXPECT_EQ(lc.failed_starts(), 3);
}

TEST(Lifecycle, BecomesFatalAfterStartretriesRetries) {
    Lifecycle lc(policy(AutoRestart::Always, 2));
    lc.handle(event::Start{});
    EXPECT_EQ(describe(lc.handle(event::SpawnFailed{})), "Become(BACKOFF) Timer(1000)");
    lc.handle(event::TimerFired{});
    EXPECT_EQ(describe(lc.handle(event::SpawnFailed{})), "Become(BACKOFF) Timer(2000)");
    lc.handle(event::TimerFired{});
    EXPECT_EQ(describe(lc.handle(event::SpawnFailed{})), "ClearTimer Become(FATAL)");
    EXPECT_EQ(lc.state(), State::Fatal);
    EXPECT_EQ(describe(lc.handle(event::TimerFired{})), "");
}

TEST(Lifecycle, ZeroStartretriesMeansFatalOnFirstFailure) {
    Lifecycle lc(policy(AutoRestart::Always, 0));
    lc.handle(event::Start{});
    EXPECT_EQ(describe(lc.handle(event::SpawnFailed{})), "ClearTimer Become(FATAL)");
}

TEST(Lifecycle, SuccessfulStartResetsTheRetryCount) {
    Lifecycle lc(policy());
    lc.handle(event::Start{});
    lc.handle(event::SpawnFailed{});
    lc.handle(event::TimerFired{});
    lc.handle(event::Spawned{});
    lc.handle(event::TimerFired{});
    EXPECT_EQ(lc.state(), State::Running);
    EXPECT_EQ(lc.failed_starts(), 0);
}

TEST(Lifecycle, BackoffDelayDoublesUpToTheCap) {
    EXPECT_EQ(backoff_delay(1), milliseconds(1000));
    EXPECT_EQ(backoff_delay(2), milliseconds(2000));
    EXPECT_EQ(backoff_delay(6), milliseconds(32000));
    EXPECT_EQ(backoff_delay(7), kMaxBackoff);
    EXPECT_EQ(backoff_delay(1000), kMaxBackoff);
}

TEST(Lifecycle, RestartsAlwaysEvenOnExpectedExit) {
    Lifecycle lc = running(policy(AutoRestart::Always));
    EXPECT_EQ(describe(lc.handle(event::Exited{code(0)})), "Become(EXITED) Become(STARTING) Spawn");
}

TEST(Lifecycle, RestartsOnFailureButNotOnExpectedExit) {
    Lifecycle expected = running();
    EXPECT_EQ(describe(expected.handle(event::Exited{code(2)})), "Become(EXITED)");
    Lifecycle unexpected = running();
    EXPECT_EQ(describe(unexpected.handle(event::Exited{code(1)})),
              "Become(EXITED) Become(STARTING) Spawn");
}

TEST(Lifecycle, DeathBySignalIsNeverAnExpectedExit) {
    Lifecycle lc = running();
    EXPECT_FALSE(lc.expected_exit(signal(0)));
    EXPECT_EQ(describe(lc.handle(event::Exited{signal(SIGSEGV)})),
              "Become(EXITED) Become(STARTING) Spawn");
}

TEST(Lifecycle, NeverRestartsWithAutorestartNever) {
    Lifecycle lc = running(policy(AutoRestart::Never));
    EXPECT_EQ(describe(lc.handle(event::Exited{code(1)})), "Become(EXITED)");
    EXPECT_EQ(lc.state(), State::Exited);
}

TEST(Lifecycle, StopSendsStopsignalAndArmsTheGraceTimer) {
    Lifecycle lc = running();
    EXPECT_EQ(describe(lc.handle(event::Stop{})), "Become(STOPPING) Signal(15) Timer(5000)");
    EXPECT_EQ(describe(lc.handle(event::Exited{code(0)})), "ClearTimer Become(STOPPED)");
}

TEST(Lifecycle, StopWhileStartingStopsTheProcess) {
    Lifecycle lc(policy());
    lc.handle(event::Start{});
    lc.handle(event::Spawned{});
    EXPECT_EQ(describe(lc.handle(event::Stop{})), "Become(STOPPING) Signal(15) Timer(5000)");
}

TEST(Lifecycle, SigkillWhenTheGracePeriodEnds) {
    Lifecycle lc = running();
    lc.handle(event::Stop{});
    EXPECT_EQ(describe(lc.handle(event::TimerFired{})), "Signal(9)");
    EXPECT_EQ(lc.state(), State::Stopping);
    EXPECT_EQ(describe(lc.handle(event::Exited{signal(SIGKILL)})), "ClearTimer Become(STOPPED)");
}

TEST(Lifecycle, StopasgroupSignalsTheGroupAndImpliesKillasgroup) {
    config::ProgramConfig program;
    program.stopasgroup = true;
    Policy p = Policy::from(program);
    EXPECT_TRUE(p.killasgroup);
    Lifecycle lc = running(p);
    EXPECT_EQ(describe(lc.handle(event::Stop{})), "Become(STOPPING) Signal(15,group) Timer(10000)");
    EXPECT_EQ(describe(lc.handle(event::TimerFired{})), "Signal(9,group)");
}

TEST(Lifecycle, KillasgroupAloneOnlyAffectsTheSigkill) {
    Policy p = policy();
    p.killasgroup = true;
    Lifecycle lc = running(p);
    EXPECT_EQ(describe(lc.handle(event::Stop{})), "Become(STOPPING) Signal(15) Timer(5000)");
    EXPECT_EQ(describe(lc.handle(event::TimerFired{})), "Signal(9,group)");
}

TEST(Lifecycle, StopWithAnotherSignalSendsThatOne) {
    Lifecycle lc = running();
    EXPECT_EQ(describe(lc.handle(event::Stop{SIGQUIT})), "Become(STOPPING) Signal(3) Timer(5000)");
}

TEST(Lifecycle, StopOfAnAlreadySignalledProcessOnlyWaits) {
    Lifecycle lc = running();
    EXPECT_EQ(describe(lc.handle(event::Stop{0})), "Become(STOPPING) Timer(5000)");
    EXPECT_EQ(describe(lc.handle(event::TimerFired{})), "Signal(9)");
}

TEST(Lifecycle, UnlimitedStopwaitArmsNoTimer) {
    Policy p = policy();
    p.stopwait = kUnlimitedWait;
    Lifecycle lc = running(p);
    EXPECT_EQ(describe(lc.handle(event::Stop{})), "Become(STOPPING) Signal(15)");
    EXPECT_EQ(describe(lc.handle(event::Exited{code(0)})), "ClearTimer Become(STOPPED)");
}

TEST(Lifecycle, StopInBackoffCancelsTheRetry) {
    Lifecycle lc(policy());
    lc.handle(event::Start{});
    lc.handle(event::SpawnFailed{});
    EXPECT_EQ(describe(lc.handle(event::Stop{})), "ClearTimer Become(STOPPED)");
}

TEST(Lifecycle, StartInBackoffRetriesAtOnceWithAFreshCount) {
    Lifecycle lc(policy());
    lc.handle(event::Start{});
    lc.handle(event::SpawnFailed{});
    EXPECT_EQ(describe(lc.handle(event::Start{})), "ClearTimer Become(STARTING) Spawn");
    EXPECT_EQ(lc.failed_starts(), 0);
}

TEST(Lifecycle, StartFromExitedAndFatalSpawnsAgain) {
    Lifecycle exited = running(policy(AutoRestart::Never));
    exited.handle(event::Exited{code(0)});
    EXPECT_EQ(describe(exited.handle(event::Start{})), "Become(STARTING) Spawn");

    Lifecycle fatal(policy(AutoRestart::Never, 0));
    fatal.handle(event::Start{});
    fatal.handle(event::SpawnFailed{});
    ASSERT_EQ(fatal.state(), State::Fatal);
    EXPECT_EQ(describe(fatal.handle(event::Start{})), "Become(STARTING) Spawn");
}

// Requests that make no sense in a state are ignored, never an error.
TEST(Lifecycle, IgnoresRequestsThatAreAlreadySatisfied) {
    Lifecycle stopped(policy());
    EXPECT_EQ(describe(stopped.handle(event::Stop{})), "");
    EXPECT_EQ(describe(stopped.handle(event::TimerFired{})), "");
    EXPECT_EQ(describe(stopped.handle(event::Exited{code(0)})), "");
    EXPECT_EQ(describe(stopped.handle(event::Spawned{})), "");

    Lifecycle run = running();
    EXPECT_EQ(describe(run.handle(event::Start{})), "");
    EXPECT_EQ(describe(run.handle(event::TimerFired{})), "");

    Lifecycle stopping = running();
    stopping.handle(event::Stop{});
    EXPECT_EQ(describe(stopping.handle(event::Start{})), "");
    EXPECT_EQ(describe(stopping.handle(event::Stop{})), "");

    Lifecycle starting(policy());
    starting.handle(event::Start{});
    EXPECT_EQ(describe(starting.handle(event::Start{})), "");
}

TEST(ExitStatus, ShellCodeIs128PlusSignal) {
    EXPECT_EQ(code(3).shell_code(), 3);
    EXPECT_EQ(signal(SIGTERM).shell_code(), 143);
}

TEST(State, NamesRoundTrip) {
    for (State s : {State::Stopped, State::Starting, State::Running, State::Backoff,
                    State::Stopping, State::Exited, State::Fatal, State::Unknown}) {
        EXPECT_EQ(parse_state(state_name(s)), s);
    }
    EXPECT_EQ(parse_state("RUNNIN"), std::nullopt);
}

}  // namespace
}  // namespace superv::core

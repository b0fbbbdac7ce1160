// Readiness, ready timeouts and one-shots as the supervisor carries them out,
// through FakeEffects: the notify inbox's events, the `ready` fd's reads.
#include <gmock/gmock.h>

#include "supervisor_rules.hpp"

namespace superv::core::test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

config::ProgramConfig with_ready(config::ProgramConfig p, config::Readiness::Kind kind,
                                 Millis timeout = 5000ms) {
    p.ready.kind = kind;
    p.ready.fd = 3;
    p.ready_timeout = timeout;
    return p;
}

readiness::NotifyEvent ready_from(pid_t pid, std::optional<std::string> status = std::nullopt) {
    readiness::NotifyEvent e;
    e.process = e.sender = pid;
    e.message.ready = true;
    e.message.status = std::move(status);
    return e;
}

TEST_F(SupervisorRules, NotifyProgramStaysStartingUntilReadyThenStartEnds) {
    sup.set_notify_environment({"NOTIFY_SOCKET=/run/test/notify", "MANAGERPID=1"});
    const ProcessId db = add(with_ready(program("db"), config::Readiness::Kind::Notify));
    start({db});
    EXPECT_THAT(take_calls(), ElementsAre("spawn db", "timer db 5000", "submit"));
    EXPECT_EQ(state("db"), State::Starting);
    EXPECT_FALSE(process("db").lifecycle.ready());
    EXPECT_EQ(operations_done, 0);
    sup.notify(ready_from(process("db").pid(), "accepting connections"));
    sup.settle();
    EXPECT_EQ(state("db"), State::Running);
    EXPECT_TRUE(process("db").lifecycle.ready());
    EXPECT_EQ(process("db").status_text, "accepting connections");
    EXPECT_THAT(take_calls(), Contains("cancel db")) << "the ready timer goes";
    EXPECT_EQ(operations_done, 1);
    EXPECT_TRUE(results.at(0).ok);
    EXPECT_EQ(fx.pending_timers(), 0u);
}

TEST_F(SupervisorRules, NotifyFromAPidThatIsNotManagedChangesNothing) {
    sup.set_notify_environment({"NOTIFY_SOCKET=/run/test/notify"});
    const ProcessId db = add(with_ready(program("db"), config::Readiness::Kind::Notify));
    start({db});
    sup.notify(ready_from(process("db").pid() + 100, "forged"));
    sup.notify(ready_from(0));
    sup.settle();
    EXPECT_EQ(state("db"), State::Starting);
    EXPECT_EQ(process("db").status_text, "");
}

TEST_F(SupervisorRules, ReadyOnlyCountsForAProgramWithReadyNotify) {
    sup.set_notify_environment({"NOTIFY_SOCKET=/run/test/notify"});
    auto plain = program("plain");
    plain.startsecs = 1000ms;
    const ProcessId id = add(plain);
    start({id});
    sup.notify(ready_from(process("plain").pid(), "hello"));
    sup.settle();
    EXPECT_EQ(state("plain"), State::Starting) << "startsecs still rules it";
    EXPECT_EQ(process("plain").status_text, "hello") << "STATUS= is shown for any program";
}

TEST_F(SupervisorRules, NotifyProgramCannotStartWithoutANotifySocket) {
    const ProcessId db = add(with_ready(program("db"), config::Readiness::Kind::Notify));
    start({db});
    EXPECT_EQ(state("db"), State::Fatal);
    EXPECT_THAT(process("db").reason, ::testing::HasSubstr("no notify socket"));
    EXPECT_THAT(fx.calls, ::testing::Not(Contains("spawn db")));
}

TEST_F(SupervisorRules, NotReadyInTimeIsKilledAndAFailedStartWithThatReason) {
    sup.set_notify_environment({"NOTIFY_SOCKET=/run/test/notify"});
    auto slow = with_ready(program("slow"), config::Readiness::Kind::Notify, 1500ms);
    slow.startretries = 1;
    const ProcessId id = add(slow);
    start({id});
    take_calls();
    advance(1500ms);
    EXPECT_THAT(take_calls(), ElementsAre("signal slow KILL", "submit"));
    EXPECT_EQ(state("slow"), State::Starting);
    killed("slow", SIGKILL);
    EXPECT_EQ(state("slow"), State::Backoff);
    EXPECT_EQ(process("slow").reason, "not ready after 1500 ms");
    EXPECT_EQ(process("slow").spawn_error, "not ready after 1500 ms");
    EXPECT_EQ(operations_done, 1);
    EXPECT_FALSE(results.at(0).ok);
    advance(1000ms);  // back-off over: the retry
    EXPECT_EQ(state("slow"), State::Starting);
    advance(1500ms);
    killed("slow", SIGKILL);
    EXPECT_EQ(state("slow"), State::Fatal);
    EXPECT_EQ(process("slow").reason, "too many start retries: not ready after 1500 ms");
}

TEST_F(SupervisorRules, ALineOnTheReadyFdMakesItReady) {
    const ProcessId id = add(with_ready(program("s6"), config::Readiness::Kind::Fd));
    start({id});
    EXPECT_THAT(take_calls(), ElementsAre("spawn s6", "read s6", "timer s6 5000", "submit"));
    deliver(fx.complete_read("s6", "starting..."));
    EXPECT_EQ(state("s6"), State::Starting) << "no newline yet";
    EXPECT_THAT(take_calls(), Contains("read s6")) << "read again";
    deliver(fx.complete_read("s6", "\n"));
    EXPECT_EQ(state("s6"), State::Running);
    EXPECT_TRUE(process("s6").lifecycle.ready());
    EXPECT_EQ(fx.pending_timers(), 0u);
}

TEST_F(SupervisorRules, AReadyFdClosedWithoutALineIsAFailedStart) {
    const ProcessId id = add(with_ready(program("s6"), config::Readiness::Kind::Fd));
    start({id});
    take_calls();
    deliver(fx.complete_read("s6", ""));
    EXPECT_THAT(take_calls(), ElementsAre("cancel s6", "signal s6 KILL", "submit"));
    killed("s6", SIGKILL);
    EXPECT_EQ(state("s6"), State::Fatal);
    EXPECT_EQ(process("s6").reason,
              "too many start retries: closed its ready fd 3 without writing a line");
}

TEST_F(SupervisorRules, AnExitWhileReadingTheReadyFdCancelsTheRead) {
    const ProcessId id = add(with_ready(program("s6"), config::Readiness::Kind::Fd));
    start({id});
    take_calls();
    exit("s6", 1);
    EXPECT_THAT(take_calls(), Contains("cancel s6"));
    EXPECT_EQ(state("s6"), State::Fatal);
    // The cancelled read's completion still comes back, and is dropped.
    advance(0ms);
    EXPECT_EQ(state("s6"), State::Fatal);
}

TEST_F(SupervisorRules, OneshotIsStartingWhileItRunsAndCompletesOnAnExpectedExit) {
    auto migrate = program("migrate");
    migrate.type = config::ProgramType::Oneshot;
    migrate.startsecs = 1000ms;  // means nothing for a oneshot
    const ProcessId id = add(migrate);
    start({id});
    EXPECT_EQ(state("migrate"), State::Starting);
    EXPECT_EQ(fx.pending_timers(), 0u);
    exit("migrate", 0);
    EXPECT_EQ(state("migrate"), State::Exited);
    EXPECT_TRUE(process("migrate").lifecycle.completed());
    EXPECT_EQ(operations_done, 1);
    EXPECT_TRUE(results.at(0).ok) << "a completed oneshot is a successful start";
}

TEST_F(SupervisorRules, FailingOneshotIsRetriedThenFatalWithItsExitCode) {
    auto migrate = program("migrate");
    migrate.type = config::ProgramType::Oneshot;
    migrate.startretries = 1;
    const ProcessId id = add(migrate);
    start({id});
    exit("migrate", 2);
    EXPECT_EQ(state("migrate"), State::Backoff);
    EXPECT_EQ(process("migrate").spawn_error, "Bad exit code 2");
    advance(1000ms);
    exit("migrate", 2);
    EXPECT_EQ(state("migrate"), State::Fatal);
    EXPECT_FALSE(process("migrate").lifecycle.completed());
    EXPECT_FALSE(results.at(0).ok);
}

}  // namespace
}  // namespace superv::core::test

// Health checks as the supervisor carries them out, through FakeEffects:
// exec checks (the fake's spawn_check) every interval, each bounded by its
// timeout; tcp and http checks as socket requests that carry the run's
// deadline; unhealthy restarts the process alone; `ready = "healthy"` and
// `healthy` dependents wait for the first pass.
#include <gmock/gmock.h>

#include "supervisor_rules.hpp"

namespace superv::core::test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

config::ProgramConfig checked(config::ProgramConfig p, int retries = 2, bool restart = true) {
    p.healthcheck.kind = config::HealthCheck::Kind::Exec;
    p.healthcheck.command = {"/bin/check"};
    p.healthcheck.interval = 1000ms;
    p.healthcheck.timeout = 300ms;
    p.healthcheck.retries = retries;
    p.healthcheck.restart_on_unhealthy = restart;
    return p;
}

config::ProgramConfig socket_checked(config::ProgramConfig p, config::HealthCheck::Kind kind) {
    p = checked(std::move(p), 1, false);
    p.healthcheck.kind = kind;
    p.healthcheck.command.clear();
    p.healthcheck.host = "127.0.0.1";
    p.healthcheck.port = 8080;
    p.healthcheck.host_header = "127.0.0.1:8080";
    p.healthcheck.path = "/health";
    return p;
}

class Health : public SupervisorRules {
  protected:
    // The next check falls due and runs to `code`.
    void check(const std::string& name, int code) {
        advance(1000ms);
        ASSERT_TRUE(fx.check_running(name));
        deliver(fx.check_exit(name, {false, code}));
    }
    const health::HealthState& health(const std::string& name) { return *process(name).health; }
};

TEST_F(Health, AnExecCheckRunsEveryIntervalWhileTheProcessIsUp) {
    const ProcessId web = add(checked(program("web")));
    start({web});
    EXPECT_THAT(take_calls(), ElementsAre("spawn web", "timer web 1000", "submit"));
    EXPECT_EQ(health("web").health(), health::Health::Starting);
    advance(1000ms);
    EXPECT_THAT(take_calls(), ElementsAre("check web", "timer web 300", "submit"));
    deliver(fx.check_exit("web", {false, 0}));
    EXPECT_THAT(take_calls(), ElementsAre("cancel web", "timer web 1000", "submit"))
        << "the timeout goes, the next run is an interval after this one's end";
    EXPECT_EQ(health("web").health(), health::Health::Healthy);
    EXPECT_EQ(health("web").last()->detail, "exit status 0");
}

TEST_F(Health, UnhealthyRestartsTheProcessAloneThroughItsNormalStop) {
    auto app = program("app");
    app.depends_on.push_back(config::Dependency{"web", config::Condition::Running, {}});
    const ProcessId web = add(checked(program("web")));
    const ProcessId app_id = add(app);
    start({app_id, web});
    check("web", 0);
    const pid_t first = process("web").pid();
    check("web", 1);
    EXPECT_EQ(state("web"), State::Running) << "one failure of two";
    take_calls();
    check("web", 1);
    EXPECT_THAT(take_calls(), Contains("signal web TERM"));
    EXPECT_EQ(state("web"), State::Stopping);
    EXPECT_EQ(process("web").health_restarts, 1u);
    exit("web", 0);
    EXPECT_EQ(state("web"), State::Running);
    EXPECT_NE(process("web").pid(), first);
    EXPECT_EQ(health("web").health(), health::Health::Starting) << "a new instance, a new health";
    EXPECT_EQ(state("app"), State::Running) << "what needs it is not taken down";
    EXPECT_TRUE(fx.is_live("app"));
}

TEST_F(Health, OnUnhealthyNoneOnlyReports) {
    const ProcessId web = add(checked(program("web"), 1, false));
    start({web});
    check("web", 3);
    EXPECT_EQ(health("web").health(), health::Health::Unhealthy);
    EXPECT_EQ(health("web").describe(), "unhealthy (1 failure: exit status 3)");
    EXPECT_EQ(state("web"), State::Running);
    EXPECT_THAT(take_calls(), Not(Contains("signal web TERM")));
}

TEST_F(Health, ACheckPastItsTimeoutFailsAndItsCommandIsKilledWithItsGroup) {
    const ProcessId web = add(checked(program("web"), 1, false));
    start({web});
    advance(1000ms);
    take_calls();
    advance(300ms);
    EXPECT_THAT(take_calls(), ElementsAre("kill check web", "timer web 1000", "submit"));
    EXPECT_EQ(health("web").describe(), "unhealthy (1 failure: timed out after 300 ms)");
    // The killed command's exit still comes, and is reaped; the next run is a new one.
    deliver(fx.check_exit("web", {true, SIGKILL}));
    EXPECT_FALSE(fx.check_running("web"));
    check("web", 0);
    EXPECT_EQ(health("web").health(), health::Health::Healthy);
}

TEST_F(Health, ReadyHealthyWaitsForTheFirstPass) {
    auto web = checked(program("web"));
    web.ready.kind = config::Readiness::Kind::Healthy;
    start({add(web)});
    EXPECT_EQ(state("web"), State::Starting);
    EXPECT_EQ(operations_done, 0);
    check("web", 1);
    EXPECT_EQ(state("web"), State::Starting);
    check("web", 0);
    EXPECT_EQ(state("web"), State::Running);
    EXPECT_TRUE(process("web").lifecycle.ready());
    EXPECT_EQ(operations_done, 1);
}

TEST_F(Health, AHealthyDependentStartsOnceTheCheckPasses) {
    auto app = program("app");
    app.depends_on.push_back(config::Dependency{"web", config::Condition::Healthy, {}});
    const ProcessId app_id = add(app);
    add(checked(program("web")));
    start({app_id});
    EXPECT_FALSE(fx.is_live("app"));
    EXPECT_EQ(process("app").reason, "waiting for web (healthy)");
    check("web", 0);
    EXPECT_TRUE(fx.is_live("app"));
    EXPECT_EQ(operations_done, 1);
}

TEST_F(Health, AStopEndsTheRunningCheckAndLeavesNoTimer) {
    const ProcessId web = add(checked(program("web")));
    start({web});
    advance(1000ms);
    ASSERT_TRUE(fx.check_running("web"));
    take_calls();
    stop({web});
    EXPECT_THAT(take_calls(), Contains("kill check web"));
    exit("web", 0);
    deliver(fx.check_exit("web", {true, SIGKILL}));
    advance(0ms);
    EXPECT_EQ(state("web"), State::Stopped);
    EXPECT_FALSE(process("web").health);
    EXPECT_EQ(fx.pending_timers(), 0u);
    EXPECT_FALSE(sup.any_live()) << "the check's pid is managed until its exit";
}

TEST_F(Health, ACheckThatCannotStartIsAFailure) {
    fx.fail_spawn("check web", SpawnFailure{"execve /bin/check: No such file or directory", 2});
    const ProcessId web = add(checked(program("web"), 1, false));
    start({web});
    advance(1000ms);
    EXPECT_EQ(health("web").describe(),
              "unhealthy (1 failure: execve /bin/check: No such file or directory)");
}

TEST_F(Health, ATcpCheckIsAConnectBoundedByTheRunsDeadlineWithNoTimerOfItsOwn) {
    const ProcessId web = add(socket_checked(program("web"), config::HealthCheck::Kind::Tcp));
    start({web});
    take_calls();
    advance(1000ms);
    EXPECT_THAT(take_calls(), ElementsAre("connect web 300", "submit"));
    advance(100ms);
    take_calls();
    deliver(fx.complete_socket("web", 0));
    EXPECT_THAT(take_calls(), ElementsAre("timer web 1000", "submit"));
    EXPECT_EQ(health("web").health(), health::Health::Healthy);
    EXPECT_EQ(health("web").last()->detail, "connected");
    EXPECT_EQ(health("web").last()->latency, 100ms);
}

TEST_F(Health, AConnectPastItsDeadlineFailsNamingTheTimeout) {
    const ProcessId web = add(socket_checked(program("web"), config::HealthCheck::Kind::Tcp));
    start({web});
    advance(1000ms);
    advance(300ms);
    deliver(fx.complete_socket("web", -ETIMEDOUT));
    EXPECT_EQ(health("web").describe(), "unhealthy (1 failure: timed out after 300 ms)");
    advance(1000ms);
    deliver(fx.complete_socket("web", -ECONNREFUSED));
    EXPECT_EQ(health("web").describe(), "unhealthy (2 failures: connect: Connection refused)");
}

TEST_F(Health, AnHttpCheckSendsItsRequestAndReadsTheStatusWithinOneDeadline) {
    const ProcessId web = add(socket_checked(program("web"), config::HealthCheck::Kind::Http));
    start({web});
    advance(1000ms);
    advance(50ms);
    take_calls();
    deliver(fx.complete_socket("web", 0));
    const auto sent = take_calls();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_THAT(sent[0], ::testing::MatchesRegex("send web [0-9]+ 250"))
        << "the deadline is the run's, not a new one per request";
    const int length = std::stoi(sent[0].substr(std::string("send web ").size()));
    deliver(fx.complete_socket("web", length));
    EXPECT_THAT(take_calls(), ElementsAre("recv web 250", "submit"));
    deliver(fx.complete_socket("web", 0, "HTTP/1.1 503 Service Unavailable\r\n"));
    EXPECT_THAT(take_calls(), ElementsAre("recv web 250", "submit"))
        << "the head is not complete yet";
    deliver(fx.complete_socket("web", 0, "Content-Length: 0\r\n\r\n"));
    EXPECT_EQ(health("web").describe(), "unhealthy (1 failure: HTTP 503)");
}

TEST_F(Health, AStopCancelsTheSocketRequestOfTheRunningCheck) {
    const ProcessId web = add(socket_checked(program("web"), config::HealthCheck::Kind::Tcp));
    start({web});
    advance(1000ms);
    ASSERT_TRUE(fx.socket_pending("web"));
    take_calls();
    stop({web});
    EXPECT_THAT(take_calls(), Contains("cancel web"));
    for (const loop::Completion& c : fx.take_cancelled())
        deliver(c);
    exit("web", 0);
    EXPECT_EQ(state("web"), State::Stopped);
    EXPECT_FALSE(fx.socket_pending("web"));
    EXPECT_EQ(fx.pending_timers(), 0u);
}

}  // namespace
}  // namespace superv::core::test

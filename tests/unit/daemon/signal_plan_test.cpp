// The signal plan, as a table: a signal and the daemon's situation in, what
// superv does out.
#include "superv/daemon/signal_plan.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <string>

namespace superv::daemon {
namespace {

std::string describe(const SignalPlan& p) {
    std::string out;
    auto add = [&](bool on, const std::string& what) {
        if (on) out += (out.empty() ? "" : " ") + what;
    };
    add(p.reap, "reap");
    add(p.forward != 0, "forward(" + std::to_string(p.forward) + (p.to_everyone ? ",all)" : ")"));
    add(p.shutdown, "shutdown");
    add(p.escalate, "escalate");
    add(p.reload, "reload");
    add(p.reopen_logs, "reopen");
    add(p.stop_self, "stop-self");
    return out.empty() ? "nothing" : out;
}

SignalRules command_rules(bool config = false) {
    SignalRules r = SignalRules::defaults();
    r.command = true;
    r.config = config;
    return r;
}

struct Row {
    int sig;
    bool shutting_down;
    const char* expected;
};

TEST(SignalPlan, CommandModeForwardsEverySignalAsSent) {
    const Row rows[] = {
        {SIGHUP, false, "forward(1)"},
        {SIGINT, false, "forward(2) shutdown"},
        {SIGQUIT, false, "forward(3) shutdown"},
        {SIGUSR1, false, "forward(10)"},
        {SIGUSR2, false, "forward(12)"},
        {SIGPIPE, false, "forward(13)"},
        {SIGALRM, false, "forward(14)"},
        {SIGTERM, false, "forward(15) shutdown"},
        {SIGSTKFLT, false, "forward(16)"},
        {SIGCHLD, false, "reap"},
        {SIGCONT, false, "forward(18)"},
        {SIGTSTP, false, "forward(20)"},
        {SIGTTIN, false, "forward(21)"},
        {SIGTTOU, false, "forward(22)"},
        {SIGURG, false, "forward(23)"},
        {SIGXCPU, false, "forward(24)"},
        {SIGXFSZ, false, "forward(25)"},
        {SIGVTALRM, false, "forward(26)"},
        {SIGPROF, false, "forward(27)"},
        {SIGWINCH, false, "forward(28)"},
        {SIGIO, false, "forward(29)"},
        {SIGPWR, false, "forward(30)"},
        // The fault signals are superv's own: never the program's.
        {SIGILL, false, "nothing"},
        {SIGTRAP, false, "nothing"},
        {SIGABRT, false, "nothing"},
        {SIGBUS, false, "nothing"},
        {SIGFPE, false, "nothing"},
        {SIGSEGV, false, "nothing"},
        {SIGSYS, false, "nothing"},
        // During the shutdown: a second TERM or INT escalates, QUIT is forwarded.
        {SIGTERM, true, "escalate"},
        {SIGINT, true, "escalate"},
        {SIGQUIT, true, "forward(3) shutdown"},
        {SIGUSR1, true, "forward(10)"},
    };
    for (const Row& row : rows) {
        EXPECT_EQ(describe(plan_signal(command_rules(), row.sig, false, row.shutting_down)),
                  row.expected)
            << "signal " << row.sig << (row.shutting_down ? " during shutdown" : "");
    }
}

TEST(SignalPlan, WithAConfigHupReloadsAndUsr2ReopensLogs) {
    EXPECT_EQ(describe(plan_signal(command_rules(true), SIGHUP, false, false)), "reload");
    EXPECT_EQ(describe(plan_signal(command_rules(true), SIGUSR2, false, false)), "reopen");
    EXPECT_EQ(describe(plan_signal(command_rules(true), SIGTERM, false, false)),
              "forward(15) shutdown");
}

TEST(SignalPlan, WithoutACommandTheSignalsAreSupervS) {
    SignalRules r = SignalRules::defaults();
    r.config = true;
    const Row rows[] = {
        {SIGTERM, false, "shutdown"},         {SIGINT, false, "shutdown"},
        {SIGQUIT, false, "shutdown"},         {SIGTERM, true, "escalate"},
        {SIGQUIT, true, "shutdown"},          {SIGHUP, false, "reload"},
        {SIGUSR2, false, "reopen"},           {SIGUSR1, false, "forward(10,all)"},
        {SIGWINCH, false, "forward(28,all)"}, {SIGTSTP, false, "nothing"},
        {SIGALRM, false, "nothing"},          {SIGCHLD, false, "reap"},
    };
    for (const Row& row : rows) {
        EXPECT_EQ(describe(plan_signal(r, row.sig, false, row.shutting_down)), row.expected)
            << "signal " << row.sig;
    }
}

TEST(SignalPlan, WhatSupervSentItselfIsNotForwarded) {
    EXPECT_EQ(describe(plan_signal(command_rules(), SIGPIPE, true, false)), "nothing");
    EXPECT_EQ(describe(plan_signal(command_rules(), SIGCHLD, true, false)), "reap");
}

TEST(SignalPlan, RewrittenSignalsAreForwardedAsTheirReplacement) {
    SignalRules r = command_rules();
    r.rewrite[SIGTERM] = SIGQUIT;
    r.rewrite[SIGHUP] = 0;
    r.rewrite[SIGUSR1] = SIGTERM;
    EXPECT_EQ(describe(plan_signal(r, SIGTERM, false, false)), "forward(3) shutdown");
    EXPECT_EQ(describe(plan_signal(r, SIGHUP, false, false)), "nothing");
    // What was received decides the shutdown, not what it became.
    EXPECT_EQ(describe(plan_signal(r, SIGUSR1, false, false)), "forward(15)");
}

TEST(SignalPlan, DumbInitJobControlStopsSupervAfterForwarding) {
    SignalRules r = command_rules();
    r.stop_with_job_control = true;
    r.rewrite[SIGTSTP] = SIGSTOP;
    EXPECT_EQ(describe(plan_signal(r, SIGTSTP, false, false)), "forward(19) stop-self");
    EXPECT_EQ(describe(plan_signal(r, SIGTTIN, false, false)), "forward(21) stop-self");
    EXPECT_EQ(describe(plan_signal(r, SIGCONT, false, false)), "forward(18)");
}

}  // namespace
}  // namespace superv::daemon

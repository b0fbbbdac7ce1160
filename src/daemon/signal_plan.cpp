#include "superv/daemon/signal_plan.hpp"

#include <signal.h>

namespace superv::daemon {

SignalRules SignalRules::defaults() {
    SignalRules rules;
    for (int sig = 0; sig < kStandardSignals; ++sig)
        rules.rewrite[static_cast<std::size_t>(sig)] = sig;
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS})
        rules.own.set(static_cast<std::size_t>(sig));
    return rules;
}

namespace {
bool is_stop_request(int sig) {
    return sig == SIGTERM || sig == SIGINT || sig == SIGQUIT;
}

// Without a command: superv's own signals (supervisord's meanings).
SignalPlan plan_daemon(int sig, bool shutting_down) {
    SignalPlan plan;
    if (is_stop_request(sig)) {
        // Impatient operator (a second Ctrl-C): don't wait for grace periods.
        if (shutting_down && sig != SIGQUIT) {
            plan.escalate = true;
        } else {
            plan.shutdown = true;
        }
    } else if (sig == SIGHUP) {
        plan.reload = true;
    } else if (sig == SIGUSR2) {
        plan.reopen_logs = true;
    } else if (sig == SIGUSR1 || sig == SIGWINCH) {
        plan.forward = sig;
        plan.to_everyone = true;
    }
    return plan;
}
}  // namespace

SignalPlan plan_signal(const SignalRules& rules, int sig, bool from_self, bool shutting_down) {
    SignalPlan plan;
    if (sig == SIGCHLD) {
        plan.reap = true;
        return plan;
    }
    if (sig <= 0 || sig >= kStandardSignals || from_self) return plan;
    if (!rules.command) return plan_daemon(sig, shutting_down);
    if (rules.own.test(static_cast<std::size_t>(sig))) return plan;
    if (rules.config && sig == SIGHUP) {
        plan.reload = true;
        return plan;
    }
    if (rules.config && sig == SIGUSR2) {
        plan.reopen_logs = true;
        return plan;
    }
    const int forward = rules.rewrite[static_cast<std::size_t>(sig)];
    if (forward == 0) return plan;  // rewritten to nothing: as if never sent
    if (is_stop_request(sig) && shutting_down && sig != SIGQUIT) {
        plan.escalate = true;
        return plan;
    }
    plan.forward = forward;
    plan.shutdown = is_stop_request(sig);
    plan.stop_self =
        rules.stop_with_job_control && (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU);
    return plan;
}

}  // namespace superv::daemon

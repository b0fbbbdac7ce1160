// What a signal superv receives makes it do, as a pure function: the signal
// and the daemon's situation in, a plan out. The loop carries the plan out.
//
// With `-- CMD` the signals are the program's, as under tini and dumb-init:
// every one is forwarded as it was sent (or as rewritten), SIGCHLD aside.
// SIGTERM, SIGINT and SIGQUIT are forwarded too, and superv then shuts down:
// it waits for the program (and stops the configured programs with their own
// stop signals). A second SIGTERM or SIGINT during the shutdown escalates.
// Without a command they are superv's own: shutdown, reload (SIGHUP), reopen
// the log files (SIGUSR2).
#pragma once

#include <array>
#include <bitset>

namespace superv::daemon {

inline constexpr int kStandardSignals = 32;  // 1..31: the ones that do not queue

struct SignalRules {
    bool command = false;  // `-- CMD` given: signals are forwarded to it
    bool config = false;   // a config file: SIGHUP reloads, SIGUSR2 reopens logs
    // What each received signal is forwarded as (index: the signal); 0: not
    // forwarded at all. The identity unless rewritten.
    std::array<int, kStandardSignals> rewrite{};
    // Never forwarded: signals that name a fault (SIGSEGV, SIGBUS, SIGFPE,
    // SIGILL, SIGTRAP, SIGABRT, SIGSYS) are superv's, not the program's.
    std::bitset<kStandardSignals> own;
    // dumb-init's setsid mode: after forwarding SIGTSTP, SIGTTIN or SIGTTOU
    // superv stops itself (and resumes with SIGCONT).
    bool stop_with_job_control = false;

    // Identity rewrite, the fault signals as superv's own.
    static SignalRules defaults();
};

struct SignalPlan {
    bool reap = false;         // SIGCHLD: reap orphans
    int forward = 0;           // the signal to send the program(s); 0: none
    bool to_everyone = false;  // forward to every process (no command), not just main
    bool shutdown = false;     // begin the shutdown
    bool escalate = false;     // SIGKILL every process now
    bool reload = false;
    bool reopen_logs = false;
    bool stop_self = false;  // after forwarding
    bool operator==(const SignalPlan&) const = default;
};

// `from_self`: superv sent it to itself (SIGPIPE of a write to a closed
// socket, SIGXFSZ): never forwarded.
SignalPlan plan_signal(const SignalRules& rules, int sig, bool from_self, bool shutting_down);

}  // namespace superv::daemon

// A process named by {pid, pidfd} as one value (systemd's pidref): signals go
// through the pidfd, so a recycled pid is never hit. The bare pid is for
// display and for process-group signals.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "superv/common/result.hpp"
#include "superv/sys/fd.hpp"

namespace superv::sys {

class ProcessHandle {
  public:
    ProcessHandle() = default;
    ProcessHandle(pid_t pid, Fd pidfd) : pid_(pid), pidfd_(std::move(pidfd)) {}

    pid_t pid() const { return pid_; }
    int pidfd() const { return pidfd_.get(); }
    bool valid() const { return pidfd_.valid(); }

    // pidfd_send_signal(2). ESRCH once the process has been reaped.
    Result<void> signal(int sig) const;

    // kill(-pid, sig): the whole process group the child leads (it is put in
    // its own group at spawn). Only valid before the leader is reaped, while
    // its pid (= the group id) cannot be reused. EINVAL for a pid <= 1, which
    // kill() would turn into "every process" or "init's group".
    Result<void> signal_group(int sig) const;

    // waitid(P_PIDFD, pidfd, options), restarted on EINTR. With the default
    // WEXITED this blocks until the process exits and reaps it; add WNOHANG
    // (si_pid == 0: still running) or WNOWAIT (peek, leave the zombie).
    // The event loop waits through io_uring or epoll instead; this is for
    // reaping a child that failed to exec and for tests.
    Result<siginfo_t> wait(int options = WEXITED) const;

  private:
    pid_t pid_ = -1;
    Fd pidfd_;
};

// The classic wait status (WIFEXITED / WEXITSTATUS / WTERMSIG / WCOREDUMP
// work on it) for the siginfo a waitid(WEXITED) returned.
int wait_status_from(const siginfo_t& info);

}  // namespace superv::sys

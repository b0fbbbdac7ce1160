#include "superv/sys/reaper.hpp"

#include <sys/prctl.h>
#include <sys/wait.h>

#include <cerrno>

#include "superv/sys/process.hpp"

namespace superv::sys {

Result<void> become_subreaper() {
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) return SysError::last("prctl");
    return Ok{};
}

ReapOutcome reap_orphans(const std::function<bool(pid_t)>& is_managed,
                         const std::function<void(pid_t, int status)>& on_reaped) {
    ReapOutcome outcome;
    for (;;) {
        // WNOWAIT peeks: the zombie stays, so a managed process keeps its
        // exit status for its own pidfd wait. Peek-then-reap is race-free
        // because a zombie's pid cannot be reused until it is reaped.
        siginfo_t peeked{};  // si_pid stays 0 when WNOHANG finds nothing
        if (waitid(P_ALL, 0, &peeked, WEXITED | WNOHANG | WNOWAIT) != 0) {
            if (errno == EINTR) continue;
            break;  // ECHILD: no children at all
        }
        const pid_t pid = peeked.si_pid;
        if (pid == 0) break;
        // The kernel reports zombies in child-list order, so a managed one
        // hides any orphan behind it until its own wait has reaped it.
        if (is_managed(pid)) {
            outcome.blocked_by_managed = true;
            break;
        }
        siginfo_t reaped{};
        if (waitid(P_PID, static_cast<id_t>(pid), &reaped, WEXITED | WNOHANG) != 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (reaped.si_pid != pid) continue;  // cannot happen: it was a zombie
        ++outcome.reaped;
        on_reaped(pid, wait_status_from(reaped));
    }
    return outcome;
}

}  // namespace superv::sys

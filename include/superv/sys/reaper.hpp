// Orphans: as PID 1 or child subreaper, processes superv never started are
// re-parented to it and must be reaped, without ever stealing the exit status
// of a managed process (whose own exit wait reaps it).
#pragma once

#include <sys/types.h>

#include <functional>

#include "superv/common/result.hpp"

namespace superv::sys {

// prctl(PR_SET_CHILD_SUBREAPER, 1).
Result<void> become_subreaper();

struct ReapOutcome {
    int reaped = 0;                   // orphans reaped by this call
    bool blocked_by_managed = false;  // a managed zombie is first in line: call again after
                                      // its own exit completion has been handled
};

// Peeks with waitid(P_ALL, WEXITED | WNOHANG | WNOWAIT); reaps every zombie
// for which is_managed(pid) is false, and stops at the first managed one.
ReapOutcome reap_orphans(const std::function<bool(pid_t)>& is_managed,
                         const std::function<void(pid_t, int status)>& on_reaped);

}  // namespace superv::sys

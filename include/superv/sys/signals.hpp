// The daemon's signals arrive through a signalfd read by the loop: they are
// blocked in superv (and unblocked in every child at spawn).
#pragma once

#include <signal.h>
#include <sys/signalfd.h>

#include <initializer_list>

#include "superv/common/result.hpp"
#include "superv/sys/fd.hpp"

namespace superv::sys {

// Blocks `signals` in the calling thread and returns a signalfd
// (SFD_CLOEXEC | SFD_NONBLOCK) that reads them.
Result<Fd> open_signalfd(std::initializer_list<int> signals);

// Blocks every standard signal (1..31; SIGKILL and SIGSTOP cannot be) and
// returns a signalfd that reads them: no default action can end superv. A
// fault superv itself raises (SIGSEGV, SIGBUS, ...) still ends it: the kernel
// delivers those even when blocked.
Result<Fd> open_signalfd_all();

// prctl(PR_SET_PDEATHSIG): `sig` reaches superv when its parent dies.
Result<void> set_parent_death_signal(int sig);

// kill(-pgid, sig): what is left of a process group after its leader has
// been reaped. ESRCH (the group is empty) is not an error.
Result<void> signal_process_group(pid_t pgid, int sig);

// SIGSTOP to superv itself (dumb-init's job control: it stops with its
// program, and SIGCONT resumes both).
void stop_self();

// SIGPIPE is ignored in the daemon (a client that hangs up must not kill it);
// children get it back as SIG_DFL at spawn.
void ignore_sigpipe();

}  // namespace superv::sys

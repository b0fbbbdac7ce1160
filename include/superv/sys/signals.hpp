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

// SIGPIPE is ignored in the daemon (a client that hangs up must not kill it);
// children get it back as SIG_DFL at spawn.
void ignore_sigpipe();

}  // namespace superv::sys

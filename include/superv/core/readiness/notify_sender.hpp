// Which supervised process a notify datagram speaks for. The kernel vouches
// for the sender's pid (SCM_CREDENTIALS); a datagram counts for the
// supervised process that is the sender or its nearest ancestor, so a
// program and everything it starts can say READY=1 for it, but never for
// another program.
//
// The walk goes up the parent chain (/proc/PID/stat in the daemon, any
// lookup in tests). It cannot see a sender that has exited and been reaped:
// such a datagram is dropped. `systemd-notify` copes, as it must with
// systemd: it sends the parent's pid when it may (as root; the shell that ran
// it is still there), and otherwise waits, alive, until the receiver has
// taken the datagram and closed the fd of its BARRIER=1 message that comes
// after it (unless --no-block) - so a receiver must attribute each datagram
// before it reads the next. A process reparented away from its program (a
// daemon whose intermediate parent exited: it now hangs off superv or init)
// is no longer anyone's descendant and cannot be attributed either, nor can
// a sender in a pid namespace superv cannot see (pid 0). What remains is the
// race every pid-based check has: a sender that exits and whose pid is
// reused, within the moment before superv reads its datagram, by a process
// of another program. SCM_PIDFD (Linux 6.5) would close it; not used yet, as
// superv runs on older kernels too.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

namespace superv::core::readiness {

// What the walk needs to know of one process.
struct ProcessAncestry {
    pid_t parent = 0;
    std::uint64_t start_time = 0;  // since boot, in any unit that only grows
};

// nullopt: no such process (exited and reaped, or never was).
using AncestryLookup = std::function<std::optional<ProcessAncestry>(pid_t)>;

// Whether `pid` is the pid of a supervised process (whose datagrams count).
using IsSupervised = std::function<bool(pid_t)>;

// Ancestors examined above the sender; deeper chains are unattributed.
inline constexpr std::size_t kMaxAncestryDepth = 32;

// The supervised pid the datagram of `sender` counts for, or nullopt. The
// sender itself is asked first without any lookup (a program's main process,
// the common case). Every step up must go to a process no younger than the
// one below it: a parent pid that was reused by a younger process ends the
// walk instead of attributing to a stranger.
std::optional<pid_t> attribute_sender(pid_t sender, const IsSupervised& is_supervised,
                                      const AncestryLookup& lookup,
                                      std::size_t max_depth = kMaxAncestryDepth);

}  // namespace superv::core::readiness

// Starting a program: a vfork-style clone (CLONE_VM | CLONE_VFORK |
// CLONE_PIDFD) whose cost does not grow with the daemon's size. Where that
// clone is refused, falls back to the same clone without CLONE_PIDFD plus
// pidfd_open, then to fork + pidfd_open.
//
// The child: own process group, default signal mask and dispositions, the
// given directory, umask, credentials, capabilities, resource limits and
// environment, and only fds 0, 1, 2 (plus the one extra fd a request may
// name, for readiness notification).
// If anything fails before or at execve, the errno travels back through a
// close-on-exec pipe and spawn() returns it with the failing call's name.
// spawn() returns only once the child has exec'd (or failed), so everything
// above is in place when the caller sees the handle.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "superv/common/result.hpp"
#include "superv/sys/process.hpp"

namespace superv::sys {

// How the child is created. Auto starts with the cheapest and steps down, once
// per daemon, when the kernel or a seccomp filter refuses it (EINVAL, ENOSYS,
// EPERM); the other values force one path, without fallback (for tests).
enum class SpawnMethod {
    Auto,
    ClonePidfd,          // clone(CLONE_VM | CLONE_VFORK | CLONE_PIDFD), 5.2+
    CloneThenPidfdOpen,  // clone(CLONE_VM | CLONE_VFORK) + pidfd_open, 5.3+
    ForkThenPidfdOpen,   // fork + pidfd_open: cost grows with the daemon's size
};

// "clone(CLONE_PIDFD)", "clone+pidfd_open", "fork+pidfd_open" or "auto".
const char* spawn_method_name(SpawnMethod method);

// The method Auto uses next: ClonePidfd until a refusal stepped it down.
SpawnMethod spawn_method_in_use();

// One resource limit set in the child (prlimit64), before the user switch so
// that superv's CAP_SYS_RESOURCE still counts.
struct ResourceLimit {
    int resource = 0;  // RLIMIT_*
    std::uint64_t soft = 0;
    std::uint64_t hard = 0;  // RLIM64_INFINITY = unlimited
};

struct ExtraFd {
    int source = -1;  // any open fd of superv's
    int target = -1;  // >= 3: 0..2 are the stdio slots above
};

// Every field has a default, so designated initializers may name only the
// ones they need (GCC warns about the others otherwise).
struct SpawnRequest {
    std::vector<std::string> argv{};  // argv[0] without '/' is looked up in PATH
    // "KEY=VALUE": the child's whole environment, passed exactly (empty means
    // an empty environment, not superv's). PATH for the lookup is taken from
    // here, else from superv's own PATH, else "/usr/local/bin:/usr/bin:/bin".
    std::vector<std::string> env{};
    std::string directory{};  // empty: unchanged
    std::optional<mode_t> umask{};

    // The child's 0, 1, 2. -1 means "the same as superv's". Any open fd may
    // be given, including 0..2 in another slot (stdout_fd = 2 and the like).
    int stdin_fd = -1;
    int stdout_fd = -1;
    int stderr_fd = -1;
    // One more fd for the child (s6's notification-fd: the write end of a
    // pipe superv reads readiness from): `source` becomes fd `target` (>= 3)
    // in the child, without close-on-exec. -1: none.
    ExtraFd extra_fd{};

    // Credentials, applied in the child before exec (setgroups, setgid, setuid).
    std::optional<uid_t> uid{};
    std::optional<gid_t> gid{};
    std::optional<std::vector<gid_t>> supplementary_groups{};

    // The only capabilities the child keeps (bit N = capability N): every
    // other one leaves its bounding, permitted, effective, inheritable and
    // ambient sets, and the kept ones are made ambient, so they survive the
    // user switch and execve of an ordinary binary. nullopt: sets untouched.
    std::optional<std::uint64_t> capabilities{};
    bool no_new_privs = false;  // PR_SET_NO_NEW_PRIVS: no setuid bits or file caps
    // When stdin is a terminal, its foreground process group becomes the
    // child's (tcsetpgrp), so an interactive program can read it.
    bool foreground_tty = false;
    std::vector<ResourceLimit> rlimits{};

    SpawnMethod method = SpawnMethod::Auto;
};

// On failure the SysError names the step that failed in the child ("execve",
// "chdir", "setuid", ...) or in the parent ("clone", "pipe2", ...).
Result<ProcessHandle> spawn(const SpawnRequest& request);

}  // namespace superv::sys

// The child side of spawn(). Everything here runs between clone/fork and
// execve, possibly in a vfork child that shares the parent's memory and
// thread pointer: only direct system calls, no allocation, no locks, and
// nothing written to memory the parent will read except errno (which the
// parent does not look at after a successful clone).
#include "superv/sys/spawn_child.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace superv::sys::detail {

[[noreturn]] SUPERV_CHILD_SIDE void fail(int error_fd, ChildStep step, int err) {
    const ChildFailure failure{static_cast<int>(step), err};
    ssize_t n;
    do {
        n = write(error_fd, &failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    _exit(127);
}

namespace {

// The kernel's sigset size, not glibc's 128-byte sigset_t: rt_sig* calls
// reject any other size.
constexpr long kKernelSigsetSize = _NSIG / 8;

// Raw rt_sigaction instead of sigaction(): glibc's wrapper refuses its two
// internal signals (SIGCANCEL 32, SIGSETXID 33) with EINVAL, and posix_spawn
// resets them the same way. A vfork child must not keep any handler before it
// unblocks signals: the handler would run on the parent's memory.
SUPERV_CHILD_SIDE void reset_signal_dispositions(int error_fd) {
    // SIG_DFL, no flags, empty mask, no restorer: all zero bytes, whatever the
    // architecture's field order; 64 bytes covers every kernel struct sigaction.
    const unsigned long default_action[8] = {};
    for (int sig = 1; sig < _NSIG; ++sig) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        if (syscall(SYS_rt_sigaction, sig, default_action, nullptr, kKernelSigsetSize) != 0) {
            fail(error_fd, ChildStep::kSigaction, errno);
        }
    }
}

SUPERV_CHILD_SIDE void unblock_all_signals(int error_fd) {
    const unsigned long empty_set[8] = {};
    if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, empty_set, nullptr, kKernelSigsetSize) != 0) {
        fail(error_fd, ChildStep::kSigprocmask, errno);
    }
}

// Two passes so that a requested fd in 0..2 is not overwritten before it is
// copied (stdin_fd = 1, stdout_fd = 0 swaps them): first every source below 3
// moves to a close-on-exec copy >= 3, then each is dup2'ed into place (dup2
// clears close-on-exec on the target).
SUPERV_CHILD_SIDE void install_stdio(const ChildPlan& plan, int error_fd) {
    int source[3] = {plan.stdio[0], plan.stdio[1], plan.stdio[2]};
    for (int& fd : source) {
        if (fd < 0 || fd > 2) continue;
        fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0) fail(error_fd, ChildStep::kDup2, errno);
    }
    for (int target = 0; target < 3; ++target) {
        if (source[target] < 0) continue;
        if (dup2(source[target], target) < 0) fail(error_fd, ChildStep::kDup2, errno);
    }
}

// The extra fd's source, safe from install_stdio: one in 0..2 would be
// overwritten there, so it moves to a close-on-exec copy >= 3 first.
SUPERV_CHILD_SIDE int keep_extra_source(const ChildPlan& plan, int error_fd) {
    int source = plan.extra_source;
    if (source >= 0 && source < 3) {
        source = fcntl(source, F_DUPFD_CLOEXEC, 3);
        if (source < 0) fail(error_fd, ChildStep::kDup2, errno);
    }
    return source;
}

// After mark_fds_cloexec, which marks the target close-on-exec like every fd
// >= 3. dup2 clears the flag on its target, but dup2(fd, fd) changes nothing,
// so a source already in place has it cleared by hand.
SUPERV_CHILD_SIDE void install_extra_fd(int source, int target, int error_fd) {
    if (source < 0) return;
    const int rc = source == target ? fcntl(target, F_SETFD, 0) : dup2(source, target);
    if (rc < 0) fail(error_fd, ChildStep::kDup2, errno);
}

// close_range(CLOSE_RANGE_CLOEXEC) is 5.11+ and may be refused by seccomp;
// the fallback lists /proc/self/fd with getdents64 into a stack buffer
// (opendir would allocate).
SUPERV_CHILD_SIDE void mark_fds_cloexec(int error_fd) {
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
    if (errno != ENOSYS && errno != EINVAL && errno != EPERM) {
        fail(error_fd, ChildStep::kCloseRange, errno);
    }
    const int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) fail(error_fd, ChildStep::kCloseRange, errno);
    alignas(dirent64) char buffer[2048];
    for (;;) {
        const ssize_t n = getdents64(dir, buffer, sizeof buffer);
        if (n < 0) fail(error_fd, ChildStep::kCloseRange, errno);
        if (n == 0) break;
        for (ssize_t offset = 0; offset < n;) {
            const auto* entry = reinterpret_cast<const dirent64*>(buffer + offset);
            offset += entry->d_reclen;
            int fd = 0;
            const char* c = entry->d_name;
            if (*c < '0' || *c > '9') continue;  // "." and ".."
            for (; *c >= '0' && *c <= '9'; ++c)
                fd = fd * 10 + (*c - '0');
            if (fd < 3 || fd == dir) continue;
            if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 && errno != EBADF) {
                fail(error_fd, ChildStep::kCloseRange, errno);
            }
        }
    }
    close(dir);
}

// glibc's setuid/setgid/setgroups broadcast the change to every thread of
// the process with SIGSETXID; in a vfork child "every thread" would be the
// parent's threads. The kernel calls change only this task, which is all the
// child is.
SUPERV_CHILD_SIDE void set_credentials(const ChildPlan& plan, int error_fd) {
#ifdef SYS_setgroups32  // 32-bit ABIs: the plain calls take 16-bit ids
    constexpr long kSetgroups = SYS_setgroups32, kSetgid = SYS_setgid32, kSetuid = SYS_setuid32;
#else
    constexpr long kSetgroups = SYS_setgroups, kSetgid = SYS_setgid, kSetuid = SYS_setuid;
#endif
    if (plan.set_groups && syscall(kSetgroups, plan.group_count, plan.groups) != 0) {
        fail(error_fd, ChildStep::kSetgroups, errno);
    }
    if (plan.set_gid && syscall(kSetgid, plan.gid) != 0) fail(error_fd, ChildStep::kSetgid, errno);
    if (plan.set_uid && syscall(kSetuid, plan.uid) != 0) fail(error_fd, ChildStep::kSetuid, errno);
}

// execvp's rules: EACCES is remembered and the search goes on (a later
// directory may hold an executable of the same name); "not here" errors go
// on silently (glibc's list: ENOENT, ENOTDIR, ESTALE, ENODEV, ETIMEDOUT);
// anything else (ENOEXEC, E2BIG, ENOMEM, ...) ends the search.
[[noreturn]] SUPERV_CHILD_SIDE void exec_first_found(const ChildPlan& plan, int error_fd) {
    bool saw_eacces = false;
    int last_err = ENOENT;
    for (std::size_t i = 0; i < plan.exec_path_count; ++i) {
        execve(plan.exec_paths[i], plan.argv, plan.envp);
        last_err = errno;
        switch (last_err) {
            case EACCES:
                saw_eacces = true;
                continue;
            case ENOENT:
            case ENOTDIR:
            case ESTALE:
            case ENODEV:
            case ETIMEDOUT:
                continue;
            default:
                fail(error_fd, ChildStep::kExecve, last_err);
        }
    }
    fail(error_fd, ChildStep::kExecve, saw_eacces ? EACCES : last_err);
}

}  // namespace

const char* child_step_name(int step) {
    switch (static_cast<ChildStep>(step)) {
        case ChildStep::kSigaction:
            return "sigaction";
        case ChildStep::kSigprocmask:
            return "sigprocmask";
        case ChildStep::kSetpgid:
            return "setpgid";
        case ChildStep::kDup2:
            return "dup2";
        case ChildStep::kCloseRange:
            return "close_range";
        case ChildStep::kChdir:
            return "chdir";
        case ChildStep::kSetgroups:
            return "setgroups";
        case ChildStep::kSetgid:
            return "setgid";
        case ChildStep::kSetuid:
            return "setuid";
        case ChildStep::kExecve:
            return "execve";
        case ChildStep::kSetrlimit:
            return "prlimit64";
        case ChildStep::kCapbsetDrop:
            return "prctl(PR_CAPBSET_DROP)";
        case ChildStep::kKeepCaps:
            return "prctl(PR_SET_KEEPCAPS)";
        case ChildStep::kCapset:
            return "capset";
        case ChildStep::kAmbientRaise:
            return "prctl(PR_CAP_AMBIENT_RAISE)";
        case ChildStep::kNoNewPrivs:
            return "prctl(PR_SET_NO_NEW_PRIVS)";
    }
    return "spawn";
}

SUPERV_CHILD_SIDE void run_child(const ChildPlan& plan) {
    const int error_fd = plan.error_fd;  // >= 3, so install_stdio cannot overwrite it

    // The parent blocked every signal before clone, so no handler can run
    // here until the dispositions are default again.
    reset_signal_dispositions(error_fd);

    if (setpgid(0, 0) != 0) fail(error_fd, ChildStep::kSetpgid, errno);
    // Hand the terminal to the new group (as tini does for its child), so an
    // interactive program can read it. Done while every signal is still
    // blocked: from a background group this raises SIGTTOU, which would stop
    // the child. Not a terminal (ENOTTY) is the common case and fine.
    if (plan.foreground_tty) tcsetpgrp(STDIN_FILENO, getpid());
    unblock_all_signals(error_fd);
    const int extra_source = keep_extra_source(plan, error_fd);
    install_stdio(plan, error_fd);
    mark_fds_cloexec(error_fd);
    install_extra_fd(extra_source, plan.extra_target, error_fd);
    if (plan.set_umask) umask(plan.umask);
    if (plan.directory != nullptr && chdir(plan.directory) != 0) {
        fail(error_fd, ChildStep::kChdir, errno);
    }
    apply_privileges_before_user_switch(plan, error_fd);
    set_credentials(plan, error_fd);
    apply_privileges_after_user_switch(plan, error_fd);
    exec_first_found(plan, error_fd);
}

SUPERV_CHILD_SIDE int child_entry(void* plan) {
    run_child(*static_cast<const ChildPlan*>(plan));
}

}  // namespace superv::sys::detail

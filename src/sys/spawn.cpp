// The parent side of spawn(): precompute the child's plan, create the child
// with the cheapest method the kernel allows, then learn from the error pipe
// whether it reached execve.
#include "superv/sys/spawn.hpp"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "superv/sys/pidfd.hpp"
#include "superv/sys/spawn_child.hpp"
#include "superv/sys/spawn_plan.hpp"

namespace superv::sys {

namespace {

using detail::ChildFailure;
using detail::ChildPlan;

std::atomic<SpawnMethod> g_method_in_use{SpawnMethod::ClonePidfd};

// What a seccomp filter or an old kernel answers for a clone it will not do;
// EAGAIN / ENOMEM are real resource failures and are reported as such.
bool is_refusal(int err) {
    return err == EINVAL || err == ENOSYS || err == EPERM;
}

SpawnMethod step_down(SpawnMethod method) {
    return method == SpawnMethod::ClonePidfd ? SpawnMethod::CloneThenPidfdOpen
                                             : SpawnMethod::ForkThenPidfdOpen;
}

// The vfork child's stack: it only has to hold the child's few frames (the
// biggest is a 2 KiB getdents buffer), so its cost is one mmap (once per
// thread) and the pages the child touches, whatever the parent's size. One
// extra page is a guard, so an overflow faults instead of scribbling on the
// parent's memory.
class ChildStack {
  public:
    static constexpr std::size_t kUsable = 64 * 1024;

    ChildStack()
        : guard_(static_cast<std::size_t>(sysconf(_SC_PAGESIZE))), size_(kUsable + guard_) {}

    // Maps the stack unless it is; false (errno set) when mmap fails.
    bool ensure() {
        if (base_ != nullptr) return true;
        void* base = mmap(nullptr, size_, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
        if (base == MAP_FAILED) return false;
        base_ = static_cast<char*>(base);
        mprotect(grows_up ? base_ + kUsable : base_, guard_, PROT_NONE);
        return true;
    }
    ~ChildStack() {
        if (base_ != nullptr) munmap(base_, size_);
    }
    ChildStack(const ChildStack&) = delete;
    ChildStack& operator=(const ChildStack&) = delete;

    // Where clone() wants the stack pointer to start.
    void* top() const { return grows_up ? base_ : base_ + size_; }

  private:
#if defined(__hppa__)
    static constexpr bool grows_up = true;  // the one Linux architecture
#else
    static constexpr bool grows_up = false;
#endif
    std::size_t guard_;
    std::size_t size_;
    char* base_ = nullptr;
};

// Blocks every signal, glibc's internal ones included (hence the raw call),
// for the lifetime of the object. Between clone and the child's reset of its
// dispositions a signal would run one of superv's handlers on the shared
// memory; blocked, it stays pending and the parent gets it after the restore.
class AllSignalsBlocked {
  public:
    AllSignalsBlocked() {
        sigset_t all;
        std::memset(&all, 0xff, sizeof all);
        syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &saved_, _NSIG / 8);
    }
    ~AllSignalsBlocked() { syscall(SYS_rt_sigprocmask, SIG_SETMASK, &saved_, nullptr, _NSIG / 8); }
    AllSignalsBlocked(const AllSignalsBlocked&) = delete;
    AllSignalsBlocked& operator=(const AllSignalsBlocked&) = delete;

  private:
    sigset_t saved_{};
};

struct Created {
    pid_t pid;
    int pidfd;  // -1 when the method gives none
};

Result<Created> create_child(SpawnMethod method, const ChildPlan& plan) {
    if (method == SpawnMethod::ForkThenPidfdOpen) {
        AllSignalsBlocked blocked;
        const pid_t pid = fork();
        if (pid == 0) detail::run_child(plan);
        if (pid < 0) return SysError::last("fork");
        return Created{pid, -1};
    }
    // One stack per thread, kept: CLONE_VFORK guarantees the previous child
    // is done with it, and a batch of 1000 starts saves 3000 system calls.
    thread_local ChildStack stack;
    if (!stack.ensure()) return SysError::last("mmap");
    int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
    if (method == SpawnMethod::ClonePidfd) flags |= CLONE_PIDFD;
    int pidfd = -1;
    pid_t pid;
    {
        AllSignalsBlocked blocked;
        // CLONE_VFORK: this thread sleeps until the child has exec'd or
        // exited, so the stack and the plan outlive the child's use of them.
        pid = clone(detail::child_entry, stack.top(), flags, const_cast<ChildPlan*>(&plan), &pidfd);
    }
    if (pid < 0) return SysError::last("clone");
    return Created{pid, pidfd};
}

// Kills (if need be) and reaps a child spawn() will not hand out.
void discard_child(pid_t pid, int pidfd) {
    if (pidfd >= 0) {
        const ProcessHandle handle(pid, Fd(pidfd));
        (void)handle.signal(SIGKILL);
        if (handle.wait().ok()) return;
    } else {
        kill(pid, SIGKILL);
    }
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

// EOF: the write end closed at execve, so the exec succeeded. A full record:
// the child reported a failed step and exited.
Result<ProcessHandle> collect_outcome(Fd error_read, pid_t pid, int pidfd) {
    ChildFailure failure{};
    ssize_t n;
    do {
        n = read(error_read.get(), &failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    if (n == 0) return ProcessHandle(pid, Fd(pidfd));
    const SysError error = n == static_cast<ssize_t>(sizeof failure)
                               ? SysError{detail::child_step_name(failure.step), failure.err}
                               : SysError{"read", n < 0 ? errno : EIO};
    discard_child(pid, pidfd);
    return error;
}

}  // namespace

const char* spawn_method_name(SpawnMethod method) {
    switch (method) {
        case SpawnMethod::Auto:
            return "auto";
        case SpawnMethod::ClonePidfd:
            return "clone(CLONE_PIDFD)";
        case SpawnMethod::CloneThenPidfdOpen:
            return "clone+pidfd_open";
        case SpawnMethod::ForkThenPidfdOpen:
            return "fork+pidfd_open";
    }
    return "unknown";
}

SpawnMethod spawn_method_in_use() {
    return g_method_in_use.load(std::memory_order_relaxed);
}

Result<ProcessHandle> spawn(const SpawnRequest& request) {
    if (request.argv.empty()) return SysError{"execve", EINVAL};
    if (request.extra_fd.source >= 0 && request.extra_fd.target < 3)
        return SysError{"dup2", EINVAL};
    const detail::ExecPlan exec_plan(request, std::getenv("PATH"));

    auto pipe = make_pipe();
    if (!pipe) return pipe.error();
    auto& [error_read, error_write] = pipe.value();
    // With superv's 0..2 closed the pipe lands there, and the child's dup2 of
    // stdin/stdout/stderr (or of the extra fd) would overwrite its own error
    // channel. The copy cannot land on the extra fd's target: the pipe holds it.
    if (error_write.get() < 3 || error_write.get() == request.extra_fd.target) {
        Fd moved(fcntl(error_write.get(), F_DUPFD_CLOEXEC, 3));
        if (!moved) return SysError::last("fcntl");
        error_write = std::move(moved);
    }
    ChildPlan plan = exec_plan.child_plan(request);
    plan.error_fd = error_write.get();

    const bool automatic = request.method == SpawnMethod::Auto;
    SpawnMethod method = automatic ? spawn_method_in_use() : request.method;
    Result<Created> created = create_child(method, plan);
    while (automatic && !created && is_refusal(created.error().err) &&
           method != SpawnMethod::ForkThenPidfdOpen) {
        method = step_down(method);
        g_method_in_use.store(method, std::memory_order_relaxed);
        created = create_child(method, plan);
    }
    if (!created) return created.error();
    error_write.reset();  // ours; the child's copy closes at its execve or exit

    auto [pid, pidfd] = created.value();
    if (pidfd < 0) {
        // Kernels before 5.2 ignore the CLONE_PIDFD bit (it was the long-dead
        // CLONE_PID) and leave pidfd at -1 without an error.
        if (method == SpawnMethod::ClonePidfd && automatic) {
            g_method_in_use.store(SpawnMethod::CloneThenPidfdOpen, std::memory_order_relaxed);
        }
        // The child cannot have been reaped yet: superv never sets SIGCHLD
        // to SIG_IGN, and its reaper leaves managed pids alone, so even a
        // child that already exited is a zombie pidfd_open accepts.
        pidfd = pidfd_open(pid, 0);
        if (pidfd < 0) {
            const SysError error = SysError::last("pidfd_open");
            discard_child(pid, -1);
            return error;
        }
    }
    return collect_outcome(std::move(error_read), pid, pidfd);
}

}  // namespace superv::sys

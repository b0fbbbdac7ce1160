#include "superv/sys/signals.hpp"

#include <pthread.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>

namespace superv::sys {

namespace {
Result<Fd> block_and_open(const sigset_t& set) {
    // Blocked first, so a signal that arrives from now on waits in the
    // pending set for the signalfd instead of taking its default action.
    if (const int err = pthread_sigmask(SIG_BLOCK, &set, nullptr); err != 0) {
        return SysError{"sigprocmask", err};
    }
    const int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0) return SysError::last("signalfd");
    return Fd(fd);
}
}  // namespace

Result<Fd> open_signalfd(std::initializer_list<int> signals) {
    sigset_t set;
    sigemptyset(&set);
    for (const int sig : signals) {
        if (sigaddset(&set, sig) != 0) return SysError::last("sigaddset");
    }
    return block_and_open(set);
}

Result<Fd> open_signalfd_all() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig = 1; sig < 32; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP) sigaddset(&set, sig);
    }
    return block_and_open(set);
}

Result<void> set_parent_death_signal(int sig) {
    if (::prctl(PR_SET_PDEATHSIG, static_cast<unsigned long>(sig)) != 0) {
        return SysError::last("prctl(PR_SET_PDEATHSIG)");
    }
    return Ok{};
}

Result<void> signal_process_group(pid_t pgid, int sig) {
    if (pgid <= 1) return SysError{"kill", EINVAL};
    if (::kill(-pgid, sig) != 0 && errno != ESRCH) return SysError::last("kill");
    return Ok{};
}

void stop_self() {
    ::kill(::getpid(), SIGSTOP);
}

void ignore_sigpipe() {
    struct sigaction action {};
    action.sa_handler = SIG_IGN;
    sigemptyset(&action.sa_mask);
    sigaction(SIGPIPE, &action, nullptr);
}

}  // namespace superv::sys

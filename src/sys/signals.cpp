#include "superv/sys/signals.hpp"

#include <pthread.h>

namespace superv::sys {

Result<Fd> open_signalfd(std::initializer_list<int> signals) {
    sigset_t set;
    sigemptyset(&set);
    for (const int sig : signals) {
        if (sigaddset(&set, sig) != 0) return SysError::last("sigaddset");
    }
    // Blocked first, so a signal that arrives from now on waits in the
    // pending set for the signalfd instead of taking its default action.
    if (const int err = pthread_sigmask(SIG_BLOCK, &set, nullptr); err != 0) {
        return SysError{"sigprocmask", err};
    }
    const int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0) return SysError::last("signalfd");
    return Fd(fd);
}

void ignore_sigpipe() {
    struct sigaction action {};
    action.sa_handler = SIG_IGN;
    sigemptyset(&action.sa_mask);
    sigaction(SIGPIPE, &action, nullptr);
}

}  // namespace superv::sys

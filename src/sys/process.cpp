#include "superv/sys/process.hpp"

#include <cerrno>

#include "superv/sys/pidfd.hpp"

namespace superv::sys {

Result<void> ProcessHandle::signal(int sig) const {
    if (pidfd_send_signal(pidfd_.get(), sig, nullptr, 0) != 0) {
        return SysError::last("pidfd_send_signal");
    }
    return Ok{};
}

Result<void> ProcessHandle::signal_group(int sig) const {
    // kill(-1) is "every process we may signal" and kill(0) our own group:
    // never let a default-constructed handle get there.
    if (pid_ <= 1) return SysError{"kill", EINVAL};
    if (kill(-pid_, sig) != 0) return SysError::last("kill");
    return Ok{};
}

Result<siginfo_t> ProcessHandle::wait(int options) const {
    siginfo_t info{};
    while (waitid(P_PIDFD, static_cast<id_t>(pidfd_.get()), &info, options) != 0) {
        if (errno != EINTR) return SysError::last("waitid");
    }
    return info;
}

int wait_status_from(const siginfo_t& info) {
    switch (info.si_code) {
        case CLD_EXITED:
            return (info.si_status & 0xff) << 8;
        case CLD_KILLED:
            return info.si_status & 0x7f;
        case CLD_DUMPED:
            return (info.si_status & 0x7f) | 0x80;
        case CLD_STOPPED:
        case CLD_TRAPPED:
            return ((info.si_status & 0xff) << 8) | 0x7f;
        case CLD_CONTINUED:
            return 0xffff;
        default:
            return 0;
    }
}

}  // namespace superv::sys

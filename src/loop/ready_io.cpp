#include "ready_io.hpp"

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace superv::loop {

int reap_exit(int pidfd, siginfo_t* info) {
    // With WNOHANG and nothing to reap, waitid returns 0 and leaves si_pid 0
    // (waitid(2)): clear it first so "not yet" is unambiguous.
    std::memset(info, 0, sizeof(*info));
    for (;;) {
        if (::waitid(P_PIDFD, static_cast<id_t>(pidfd), info, WEXITED | WNOHANG) == 0) {
            return info->si_pid == 0 ? -EAGAIN : 0;
        }
        if (errno != EINTR) return -errno;
    }
}

int read_ready(int fd, std::byte* buf, std::size_t len) {
    for (;;) {
        const ssize_t n = ::read(fd, buf, std::min(len, kMaxIoBytes));
        if (n >= 0) return static_cast<int>(n);
        if (errno != EINTR) return -errno;
    }
}

int write_ready(int fd, const std::byte* buf, std::size_t len) {
    for (;;) {
        const ssize_t n = ::write(fd, buf, std::min(len, kMaxIoBytes));
        if (n >= 0) return static_cast<int>(n);
        if (errno != EINTR) return -errno;
    }
}

int accept_ready(int fd) {
    for (;;) {
        const int conn = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (conn >= 0) return conn;
        if (errno != EINTR) return -errno;
    }
}

}  // namespace superv::loop

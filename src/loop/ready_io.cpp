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

int send_ready(int fd, const std::byte* buf, std::size_t len) {
    for (;;) {
        const ssize_t n = ::send(fd, buf, std::min(len, kMaxIoBytes), MSG_NOSIGNAL);
        if (n >= 0) return static_cast<int>(n);
        if (errno != EINTR) return -errno;
    }
}

int recv_ready(int fd, std::byte* buf, std::size_t len) {
    for (;;) {
        const ssize_t n = ::recv(fd, buf, std::min(len, kMaxIoBytes), 0);
        if (n >= 0) return static_cast<int>(n);
        if (errno != EINTR) return -errno;
    }
}

int start_connect(int fd, const sockaddr* addr, socklen_t len) {
    if (::connect(fd, addr, len) == 0) return 0;
    // Interrupted, the connect goes on in the background, as one in progress.
    if (errno == EINTR || errno == EINPROGRESS || errno == EALREADY) return -EINPROGRESS;
    return -errno;
}

int connect_result(int fd) {
    int error = 0;
    socklen_t size = sizeof error;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) return -errno;
    return -error;
}

}  // namespace superv::loop

// The system calls a backend runs itself once the kernel said an fd is ready:
// every request on the epoll backend, and on io_uring the exit waits of the
// poll path and the retries after -EAGAIN. Each returns the completion's
// result: >= 0, or -errno; -EAGAIN means "not yet, keep waiting".
#pragma once

#include <signal.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "superv/loop/tag.hpp"

namespace superv::loop {

// io_uring caps one read/write at MAX_RW_COUNT; the epoll backend does the
// same so a short count means the same thing on both.
inline constexpr std::size_t kMaxIoBytes = 0x7ffff000;

// waitid(P_PIDFD, WEXITED | WNOHANG): 0 with *info filled once the process
// has exited and is reaped, -EAGAIN while it still runs.
int reap_exit(int pidfd, siginfo_t* info);
int read_ready(int fd, std::byte* buf, std::size_t len);
int write_ready(int fd, const std::byte* buf, std::size_t len);
// accept4 with SOCK_CLOEXEC | SOCK_NONBLOCK: the new fd.
int accept_ready(int fd);
// send(2) with MSG_NOSIGNAL, recv(2).
int send_ready(int fd, const std::byte* buf, std::size_t len);
int recv_ready(int fd, std::byte* buf, std::size_t len);
// connect(2) of a non-blocking socket: 0 (made at once, as loopback can),
// -EINPROGRESS (wait until writable, then connect_result), or -errno.
int start_connect(int fd, const sockaddr* addr, socklen_t len);
// How a non-blocking connect(2) that was in progress ended, once its socket
// turned writable: 0, or its -errno (getsockopt SO_ERROR).
int connect_result(int fd);

// The result a request gets before it reaches the kernel, or 0 if it may go:
// TagKind::Internal is reserved for the backend's own bookkeeping.
inline int refuse_tag(std::uint64_t raw) {
    return Tag::from_raw(raw).kind == TagKind::Internal ? -EINVAL : 0;
}

}  // namespace superv::loop

#include "superv/sys/tcp_connect.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

namespace superv::sys {

Result<ConnectStart> start_tcp_connect(const std::string& host, int port) {
    if (port < 1 || port > 65535) return SysError{"connect", EINVAL};
    sockaddr_storage address{};
    socklen_t length = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<std::uint16_t>(port));
        length = sizeof *v4;
    } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<std::uint16_t>(port));
        length = sizeof *v6;
    } else {
        return SysError{"inet_pton", EINVAL};
    }
    Fd fd(::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) return SysError::last("socket");
    int rc;
    do {
        rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), length);
    } while (rc != 0 && errno == EINTR);
    if (rc == 0) return ConnectStart{std::move(fd), true};
    if (errno != EINPROGRESS) return SysError::last("connect");
    return ConnectStart{std::move(fd), false};
}

Result<void> finish_tcp_connect(int fd) {
    int error = 0;
    socklen_t size = sizeof error;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) {
        return SysError::last("getsockopt(SO_ERROR)");
    }
    if (error != 0) return SysError{"connect", error};
    return Ok{};
}

}  // namespace superv::sys

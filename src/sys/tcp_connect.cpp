#include "superv/sys/tcp_connect.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cerrno>

namespace superv::sys {

Result<TcpAddress> tcp_address(const std::string& host, int port) {
    if (port < 1 || port > 65535) return SysError{"connect", EINVAL};
    TcpAddress address;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address.storage);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
    if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<std::uint16_t>(port));
        address.length = sizeof *v4;
    } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<std::uint16_t>(port));
        address.length = sizeof *v6;
    } else {
        return SysError{"inet_pton", EINVAL};
    }
    return address;
}

Result<Fd> tcp_socket(const TcpAddress& address) {
    Fd fd(::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) return SysError::last("socket");
    return fd;
}

}  // namespace superv::sys

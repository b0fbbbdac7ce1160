// What a TCP connect on the loop needs (ready = { tcp = ... } and tcp/http
// health checks): the peer's address and a non-blocking socket for it. The
// connect itself is a loop request (Backend::connect).
#pragma once

#include <sys/socket.h>

#include <string>

#include "superv/common/result.hpp"
#include "superv/sys/fd.hpp"

namespace superv::sys {

struct TcpAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;

    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

// `host` (a numeric IPv4 or IPv6 address: no name is looked up, since a
// lookup would block the loop) and `port`. A host that is no address fails
// with EINVAL from inet_pton, a port outside 1..65535 with EINVAL naming
// connect.
Result<TcpAddress> tcp_address(const std::string& host, int port);

// socket(2) for `address`: SOCK_STREAM, non-blocking, close-on-exec.
Result<Fd> tcp_socket(const TcpAddress& address);

}  // namespace superv::sys

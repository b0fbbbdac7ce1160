// A non-blocking TCP connect for ready = { tcp = ... }: started here, its end
// awaited on the loop (Backend::poll_writable), its outcome read here.
#pragma once

#include <string>

#include "superv/common/result.hpp"
#include "superv/sys/fd.hpp"

namespace superv::sys {

struct ConnectStart {
    Fd fd;                   // SOCK_STREAM, non-blocking, close-on-exec
    bool connected = false;  // at once (loopback can be that quick): nothing to wait for
};

// socket + connect(2) to `host` (a numeric IPv4 or IPv6 address: no name is
// looked up, since a lookup would block the loop) and `port`. In progress
// (EINPROGRESS): connected = false, wait for the fd to turn writable. An
// error at once (ECONNREFUSED on loopback, ENETUNREACH, ...) is an error
// naming connect; a host that is no address fails with EINVAL from inet_pton.
Result<ConnectStart> start_tcp_connect(const std::string& host, int port);

// After the fd turned writable: how the connect ended (getsockopt SO_ERROR);
// a failure names connect and its errno.
Result<void> finish_tcp_connect(int fd);

}  // namespace superv::sys

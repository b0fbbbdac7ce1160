// sd_notify(3) without libsystemd: one datagram to $NOTIFY_SOCKET, which is
// all a Type=notify service needs to say "READY=1" or "STOPPING=1".
#pragma once

#include <string_view>

#include "superv/common/result.hpp"

namespace superv::sys {

// Sends `state` (e.g. "READY=1", "STOPPING=1", "STATUS=...") as one datagram
// to the AF_UNIX socket named by $NOTIFY_SOCKET: a path, or an abstract
// address when it starts with '@'. Does nothing when $NOTIFY_SOCKET is unset
// or empty (not started by systemd). Fails with EAFNOSUPPORT for any other
// form of address and ENAMETOOLONG for one too long for sockaddr_un.
Result<void> notify(std::string_view state);

}  // namespace superv::sys

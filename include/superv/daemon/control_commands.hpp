// What each control request does to the daemon (docs/protocol.md).
#pragma once

#include "superv/control/json_lines.hpp"
#include "superv/control/protocol.hpp"

namespace superv::daemon {

class DaemonLoop;

void handle_request(DaemonLoop& daemon, const control::Request& request,
                    const control::Responder& responder);

}  // namespace superv::daemon

// Where the control socket lives (interface.md). The daemon listens on its
// config's [superv].socket, else $SUPERV_SOCKET, else the default; a client
// connects to -s SOCKET, else $SUPERV_SOCKET, else its config's socket, else
// the default.
#pragma once

#include <string>

namespace superv::control {

// /run/superv.sock as root; $XDG_RUNTIME_DIR/superv.sock otherwise (falling
// back to /tmp/superv-UID.sock when XDG_RUNTIME_DIR is unset).
std::string default_socket_path();

// $SUPERV_SOCKET, or "" when unset or empty.
std::string socket_from_environment();

}  // namespace superv::control

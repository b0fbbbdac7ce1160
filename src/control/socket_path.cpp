#include "superv/control/socket_path.hpp"

#include <unistd.h>

#include <cstdlib>

namespace superv::control {

std::string default_socket_path() {
    if (::geteuid() == 0) return "/run/superv.sock";
    if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg != nullptr && *xdg != '\0') {
        return std::string(xdg) + "/superv.sock";
    }
    return "/tmp/superv-" + std::to_string(::geteuid()) + ".sock";
}

std::string socket_from_environment() {
    const char* env = std::getenv("SUPERV_SOCKET");
    return env != nullptr ? env : "";
}

}  // namespace superv::control

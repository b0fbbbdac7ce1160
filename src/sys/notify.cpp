#include "superv/sys/notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include "superv/sys/fd.hpp"

namespace superv::sys {

Result<void> notify(std::string_view state) {
    const char* env = std::getenv("NOTIFY_SOCKET");
    if (env == nullptr || *env == '\0') return Ok{};
    const std::string_view name(env);
    if (name.front() != '/' && name.front() != '@') return SysError{"NOTIFY_SOCKET", EAFNOSUPPORT};

    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    // A path needs its terminating NUL inside sun_path; an abstract name
    // ('@' becomes the leading NUL) is exactly as long as the length says.
    const bool abstract = name.front() == '@';
    if (name.size() + (abstract ? 0 : 1) > sizeof address.sun_path) {
        return SysError{"NOTIFY_SOCKET", ENAMETOOLONG};
    }
    std::memcpy(address.sun_path, name.data(), name.size());
    if (abstract) address.sun_path[0] = '\0';
    const auto length =
        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + (abstract ? 0 : 1));

    Fd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd) return SysError::last("socket");
    for (;;) {
        ssize_t sent = ::sendto(fd.get(), state.data(), state.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address), length);
        if (sent >= 0) return Ok{};
        if (errno != EINTR) return SysError::last("sendto");
    }
}

}  // namespace superv::sys

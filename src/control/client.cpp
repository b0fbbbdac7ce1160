#include "superv/control/client.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace superv::control {

std::optional<Client> Client::connect(const std::string& path, std::string* error) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) {
        *error = "socket path too long: " + path;
        return std::nullopt;
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    sys::Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) {
        *error = std::string("socket: ") + std::strerror(errno);
        return std::nullopt;
    }
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        const int err = errno;
        if (err == ENOENT || err == ECONNREFUSED) {
            *error = "no superv is listening on " + path + " (connect: " + std::strerror(err) + ")";
        } else if (err == EACCES || err == EPERM) {
            *error = "permission denied: cannot connect to " + path;
        } else {
            *error = "cannot connect to " + path + ": " + std::strerror(err);
        }
        return std::nullopt;
    }
    return Client(std::move(fd), path);
}

bool Client::send(const Request& request, std::string* error) {
    const std::string line = to_json(request).dump() + "\n";
    std::size_t sent = 0;
    while (sent < line.size()) {
        const ssize_t n = ::send(fd_.get(), line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            *error = "sending to " + path_ + ": " + std::strerror(errno);
            return false;
        }
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

std::optional<Json> Client::next(std::string* error) {
    for (;;) {
        const auto nl = buffer_.find('\n');
        if (nl != std::string::npos) {
            Json j = Json::parse(buffer_.substr(0, nl), nullptr, false);
            buffer_.erase(0, nl + 1);
            if (j.is_discarded()) {
                *error = "superv sent a reply that is not JSON";
                return std::nullopt;
            }
            return j;
        }
        char chunk[65536];
        const ssize_t n = ::read(fd_.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            *error = "reading from " + path_ + ": " + std::strerror(errno);
            return std::nullopt;
        }
        if (n == 0) {
            if (!buffer_.empty()) *error = "superv closed the connection mid-reply";
            return std::nullopt;
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

void Client::wait_for_close() {
    char chunk[4096];
    while (true) {
        const ssize_t n = ::read(fd_.get(), chunk, sizeof chunk);
        if (n == 0 || (n < 0 && errno != EINTR)) return;
    }
}

}  // namespace superv::control

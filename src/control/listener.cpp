// Creating the listening sockets and deciding who may use a unix one.
#include <arpa/inet.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "superv/control/connections.hpp"

namespace superv::control {

namespace {

Result<sockaddr_un> address(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path) {
        return SysError{"bind", ENAMETOOLONG};
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return addr;
}

// An existing socket file: another daemon if it answers, else left over
// from one that died, and replaced.
Result<void> clear_stale(const std::string& path, const sockaddr_un& addr) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return Ok{};
    if (!S_ISSOCK(st.st_mode)) return SysError{"bind", EEXIST};
    sys::Fd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!probe) return SysError::last("socket");
    if (::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
        return SysError{"bind", EADDRINUSE};  // a live daemon answers there
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return SysError::last("unlink");
    return Ok{};
}

}  // namespace

Result<void> ConnectionPool::listen_unix(const std::string& path, const SocketAccess& access,
                                         std::shared_ptr<Protocol> protocol) {
    auto addr = address(path);
    if (!addr) return addr.error();
    if (auto r = clear_stale(path, *addr); !r) return r;

    sys::Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd) return SysError::last("socket");
    // Created with its final mode: no window in which it is more open.
    const mode_t old_umask = ::umask(0777 & ~access.mode);
    const int bound = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&*addr), sizeof *addr);
    const int bind_errno = errno;
    ::umask(old_umask);
    if (bound != 0) return SysError{"bind", bind_errno};
    if (::chmod(path.c_str(), access.mode) != 0) return SysError::last("chmod");
    if ((access.owner || access.group) &&
        ::chown(path.c_str(), access.owner.value_or(static_cast<uid_t>(-1)),
                access.group.value_or(static_cast<gid_t>(-1))) != 0) {
        return SysError::last("chown");
    }
    if (::listen(fd.get(), 128) != 0) return SysError::last("listen");
    return add_listener(std::move(fd), path, access, std::move(protocol));
}

Result<void> ConnectionPool::listen_tcp(const std::string& host, int port,
                                        std::shared_ptr<Protocol> protocol) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    const std::string service = std::to_string(port);
    addrinfo* found = nullptr;
    // "" and "*" are every IPv4 interface, as supervisord's `port = 9001`.
    const bool any = host.empty() || host == "*";
    if (any) hints.ai_family = AF_INET;
    if (int rc = ::getaddrinfo(any ? nullptr : host.c_str(), service.c_str(), &hints, &found);
        rc != 0) {
        return SysError{"getaddrinfo", rc == EAI_SYSTEM ? errno : EADDRNOTAVAIL};
    }
    SysError last{"bind", EADDRNOTAVAIL};
    for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
        sys::Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
        if (!fd) {
            last = SysError::last("socket");
            continue;
        }
        const int on = 1;
        ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
            last = SysError::last("bind");
            continue;
        }
        if (::listen(fd.get(), 128) != 0) {
            last = SysError::last("listen");
            continue;
        }
        ::freeaddrinfo(found);
        return add_listener(std::move(fd), {}, std::nullopt, std::move(protocol));
    }
    ::freeaddrinfo(found);
    return last;
}

bool peer_allowed(const ucred& peer, int fd, const SocketAccess& access) {
    if (peer.uid == 0 || peer.uid == ::geteuid()) return true;
    if (access.owner && peer.uid == *access.owner) return true;
    if (!access.group) return false;
    if (peer.gid == *access.group) return true;
    std::vector<gid_t> groups(64);
    socklen_t len = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len) != 0) {
        if (errno != ERANGE) return false;
        groups.resize(len / sizeof(gid_t));
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len) != 0) return false;
    }
    groups.resize(len / sizeof(gid_t));
    return std::find(groups.begin(), groups.end(), *access.group) != groups.end();
}

}  // namespace superv::control

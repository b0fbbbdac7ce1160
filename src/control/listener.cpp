// Creating the control socket and deciding who may use it.
#include <grp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "superv/control/server.hpp"

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
        return SysError{"bind", EADDRINUSE};  // a live superv answers there
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return SysError::last("unlink");
    return Ok{};
}

}  // namespace

Result<void> ControlServer::listen(const std::string& path, const SocketAccess& access) {
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
    if (access.group && ::chown(path.c_str(), static_cast<uid_t>(-1), *access.group) != 0) {
        return SysError::last("chown");
    }
    if (::listen(fd.get(), 128) != 0) return SysError::last("listen");
    listen_fd_ = std::move(fd);
    path_ = path;
    access_ = access;
    arm_accept();
    return Ok{};
}

void ControlServer::close() {
    if (!listen_fd_ || closed_) return;
    closed_ = true;
    if (accepting_) backend_.cancel(loop::Tag{loop::TagKind::ControlAccept, 0, 0});
    accepting_ = false;
    ::unlink(path_.c_str());
    // The fd stays open until the pending accept is gone (the backend may
    // still refer to it); it closes with the server.
}

bool ControlServer::peer_allowed(const ucred& peer, int fd) const {
    if (peer.uid == 0 || peer.uid == ::geteuid()) return true;
    if (!access_.group) return false;
    if (peer.gid == *access_.group) return true;
    // Supplementary groups of the peer, as the kernel saw them at connect().
    std::vector<gid_t> groups(64);
    socklen_t len = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len) != 0) {
        if (errno != ERANGE) return false;
        groups.resize(len / sizeof(gid_t));
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len) != 0) return false;
    }
    groups.resize(len / sizeof(gid_t));
    return std::find(groups.begin(), groups.end(), *access_.group) != groups.end();
}

}  // namespace superv::control

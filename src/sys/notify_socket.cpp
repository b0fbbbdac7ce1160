#include "superv/sys/notify_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace superv::sys {
namespace {

// Room for the credentials and a few fds; fds beyond that are closed by the
// kernel (MSG_CTRUNC), which suits superv as well.
constexpr std::size_t kMaxPassedFds = 16;
constexpr std::size_t kControlSpace =
    CMSG_SPACE(sizeof(ucred)) + CMSG_SPACE(sizeof(int) * kMaxPassedFds);

Result<void> private_directory(const std::string& dir, mode_t mode) {
    if (::mkdir(dir.c_str(), mode) == 0) {
        // mkdir's mode went through the umask.
        if (::chmod(dir.c_str(), mode) != 0) return SysError::last("chmod");
        return Ok{};
    }
    if (errno != EEXIST) return SysError::last("mkdir");
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) return SysError::last("lstat");
    if (!S_ISDIR(st.st_mode)) return SysError{"lstat", ENOTDIR};
    // Someone else's directory could hold someone else's socket.
    if (st.st_uid != ::geteuid()) return SysError{"lstat", EPERM};
    if ((st.st_mode & 07777) != mode && ::chmod(dir.c_str(), mode) != 0) {
        return SysError::last("chmod");
    }
    return Ok{};
}

// Closes the fds of an SCM_RIGHTS message; returns the credentials, if any.
std::optional<ucred> credentials_of(msghdr& message) {
    std::optional<ucred> credentials;
    for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
        if (c->cmsg_level != SOL_SOCKET) continue;
        if (c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(ucred))) {
            ucred value;
            std::memcpy(&value, CMSG_DATA(c), sizeof value);
            credentials = value;
        } else if (c->cmsg_type == SCM_RIGHTS) {
            const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (std::size_t i = 0; i < count; ++i) {
                int fd;
                std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
                ::close(fd);
            }
        }
    }
    return credentials;
}

}  // namespace

NotifySocket::NotifySocket(Fd fd, std::string path)
    : fd_(std::move(fd)), path_(std::move(path)), buffer_(kMaxNotifyDatagram) {}

NotifySocket::~NotifySocket() {
    if (fd_.valid()) ::unlink(path_.c_str());
}

Result<NotifySocket> NotifySocket::open(const std::string& dir, NotifyAccess access) {
    const bool anyone = access == NotifyAccess::AnyUser;
    std::string path = dir + "/notify";
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() + 1 > sizeof address.sun_path) return SysError{"bind", ENAMETOOLONG};
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    if (auto made = private_directory(dir, anyone ? 0711 : 0700); !made) return made.error();

    Fd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd) return SysError::last("socket");
    const int on = 1;
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0) {
        return SysError::last("setsockopt(SO_PASSCRED)");
    }
    // A socket file left by a superv that died; the directory is ours.
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return SysError::last("unlink");
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        return SysError::last("bind");
    }
    NotifySocket socket(std::move(fd), std::move(path));
    // After bind, whose mode went through the umask; the directory kept
    // everyone else out meanwhile.
    if (::chmod(socket.path_.c_str(), anyone ? 0666 : 0600) != 0) return SysError::last("chmod");
    return socket;
}

Result<std::optional<NotifyDatagram>> NotifySocket::receive() {
    for (;;) {
        iovec io{buffer_.data(), buffer_.size()};
        alignas(cmsghdr) char control[kControlSpace];
        msghdr message{};
        message.msg_iov = &io;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof control;
        const ssize_t n = ::recvmsg(fd_.get(), &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<NotifyDatagram>{};
            return SysError::last("recvmsg");
        }
        const std::optional<ucred> credentials = credentials_of(message);
        if ((message.msg_flags & MSG_TRUNC) != 0 || !credentials) {
            ++dropped_;
            continue;
        }
        return std::optional<NotifyDatagram>{
            NotifyDatagram{std::span<const std::byte>(buffer_.data(), static_cast<std::size_t>(n)),
                           credentials->pid, credentials->uid, credentials->gid}};
    }
}

}  // namespace superv::sys

#include "superv/sys/fd.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace superv::sys {

void Fd::reset(int fd) {
    // close() is not retried on EINTR: Linux has released the descriptor
    // whatever it returns, and a retry could close a newly opened one.
    if (fd_ >= 0 && fd_ != fd) close(fd_);
    fd_ = fd;
}

Result<void> mark_fds_cloexec_by_listing() {
    DIR* dir = opendir("/proc/self/fd");
    if (dir == nullptr) return SysError::last("opendir");
    const int own_fd = dirfd(dir);
    Result<void> result;
    while (const dirent* entry = readdir(dir)) {
        int fd = -1;
        const char* end = entry->d_name + std::strlen(entry->d_name);
        if (std::from_chars(entry->d_name, end, fd).ptr != end) continue;  // "." and ".."
        if (fd < 3 || fd == own_fd) continue;
        const int flags = fcntl(fd, F_GETFD);
        if (flags < 0 || (flags & FD_CLOEXEC) != 0) continue;
        if (fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) result = SysError::last("fcntl");
    }
    closedir(dir);
    return result;
}

Result<void> mark_inherited_fds_cloexec() {
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return Ok{};
    // ENOSYS: before 5.9; EINVAL: 5.9 / 5.10 know close_range but not the
    // CLOEXEC flag; EPERM: a seccomp filter.
    if (errno != ENOSYS && errno != EINVAL && errno != EPERM) return SysError::last("close_range");
    return mark_fds_cloexec_by_listing();
}

Result<void> ensure_stdio_open() {
    for (int fd = 0; fd < 3; ++fd) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
        // Not O_CLOEXEC: these are meant to be inherited by children.
        const int null_fd = open("/dev/null", O_RDWR);
        if (null_fd < 0) return SysError::last("open");
        if (null_fd != fd) {
            // Only possible if another thread raced us for the slot.
            const int placed = dup2(null_fd, fd);
            close(null_fd);
            if (placed < 0) return SysError::last("dup2");
        }
    }
    return Ok{};
}

Result<std::pair<Fd, Fd>> make_pipe(int flags) {
    int fds[2];
    if (pipe2(fds, flags | O_CLOEXEC) != 0) return SysError::last("pipe2");
    return std::pair<Fd, Fd>(Fd(fds[0]), Fd(fds[1]));
}

}  // namespace superv::sys

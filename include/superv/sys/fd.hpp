// An owned file descriptor: closed exactly once, movable, never copied.
#pragma once

#include <utility>

#include "superv/common/result.hpp"

namespace superv::sys {

class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) reset(std::exchange(other.fd_, -1));
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }

    int get() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    explicit operator bool() const { return valid(); }
    int release() { return std::exchange(fd_, -1); }
    void reset(int fd = -1);

  private:
    int fd_ = -1;
};

// Marks every fd >= 3 close-on-exec, so descriptors superv inherited from
// whoever started it never leak into the programs it runs. Called once at
// daemon start. close_range(CLOSE_RANGE_CLOEXEC) (5.11), else a walk of
// /proc/self/fd.
Result<void> mark_inherited_fds_cloexec();

// The /proc/self/fd walk that mark_inherited_fds_cloexec() falls back to when
// close_range is missing or refused; exposed so tests can run it directly.
Result<void> mark_fds_cloexec_by_listing();

// Opens /dev/null on any of fds 0, 1, 2 that is closed. Otherwise the next
// open() would land on 0..2 and a child would get, say, a log file as stdin.
Result<void> ensure_stdio_open();

// pipe2(2) with O_CLOEXEC always added; `flags` may add O_NONBLOCK / O_DIRECT.
// Returns {read end, write end}.
Result<std::pair<Fd, Fd>> make_pipe(int flags = 0);

}  // namespace superv::sys

// ready = { fd = N }: s6's notification-fd. The program gets the write end of
// a pipe as fd N and writes a line to it when it is ready; superv reads the
// other end on the loop. Bytes before the first newline count for nothing;
// EOF before one (the program closed the fd, or exited) is a failed start.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>

#include "superv/common/result.hpp"
#include "superv/sys/fd.hpp"

namespace superv::core::readiness {

// The pure part: has a newline come yet? Keeps no bytes, so a program that
// writes without end costs nothing.
class ReadyLineDetector {
  public:
    // True once any chunk fed so far held a '\n'.
    bool feed(std::span<const std::byte> chunk);
    bool ready() const { return ready_; }

  private:
    bool ready_ = false;
};

// The pipe's read end and the buffer its reads land in. Never moved (a read
// may be in flight into the buffer), so it lives behind a unique_ptr.
class ReadyPipe {
  public:
    struct Ends {
        std::unique_ptr<ReadyPipe> reader;
        // For SpawnRequest::extra_fd = {child_end.get(), N}; the caller
        // closes it right after the spawn, so that EOF means "the program
        // closed it".
        sys::Fd child_end;
    };
    // pipe2(O_CLOEXEC); the read end is also O_NONBLOCK.
    static Result<Ends> create();

    ReadyPipe(const ReadyPipe&) = delete;
    ReadyPipe& operator=(const ReadyPipe&) = delete;

    // Backend::read(tag, fd(), buffer()), then on_read(its result).
    int fd() const { return fd_.get(); }
    std::span<std::byte> buffer() { return buffer_; }

    enum class Outcome {
        Pending,  // no newline yet: read again
        Ready,    // a newline came: ready (the pipe may be closed now)
        Closed,   // EOF before any newline: a failed start
        Failed,   // the read failed; error() says how
    };
    Outcome on_read(int result);
    const SysError& error() const { return error_; }

  private:
    explicit ReadyPipe(sys::Fd fd) : fd_(std::move(fd)) {}

    sys::Fd fd_;
    ReadyLineDetector detector_;
    SysError error_{};
    std::array<std::byte, 256> buffer_{};
};

}  // namespace superv::core::readiness

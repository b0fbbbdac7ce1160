// A program's stdin as a pipe superv writes to (`stdin_pipe`: supervisord's
// child_stdin, fed by sendProcessStdin). Made at each spawn: the child gets
// the read end as fd 0, superv keeps the write end (non-blocking) until the
// process exits, and the loop writes queued bytes into it.
//
// Memory is bounded: a program that never reads fills its pipe, then the
// queue (kMaxQueuedStdin), and then sends are refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "superv/common/result.hpp"
#include "superv/sys/fd.hpp"

namespace superv::core {

inline constexpr std::size_t kMaxQueuedStdin = 1024 * 1024;

// Why bytes could not be sent to a process's stdin. supervisord's faults:
// NotRunning is NOT_RUNNING, NoPipe and Closed are NO_FILE; Full is superv's
// own (supervisord's buffer has no bound), FAILED at best.
enum class StdinError {
    NotRunning,  // no process, or it is being stopped
    NoPipe,      // its program has no stdin pipe
    Closed,      // the program closed its stdin
    Full,        // kMaxQueuedStdin bytes are already waiting
};

// "not running", "stdin closed by the program", ...
std::string_view describe(StdinError error);

class StdinPipe {
  public:
    // superv's end, and the end that becomes the child's fd 0 (close it once
    // the child has it).
    static Result<std::pair<std::unique_ptr<StdinPipe>, sys::Fd>> create();

    int fd() const { return write_.get(); }

    // Queues `bytes` behind whatever waits. Closed when the program has
    // closed its end (seen at once, before any write fails).
    std::optional<StdinError> queue(std::string_view bytes);

    // The bytes for the next write request, tagged with `gen`; empty (and
    // nothing started) while one is in flight or nothing waits.
    std::span<const std::byte> start_write(std::uint32_t gen);
    // That request completed: `result` bytes written, or -errno (EPIPE: the
    // program closed its stdin; queued bytes are dropped).
    void finish_write(int result);

    std::uint32_t write_gen() const { return write_gen_; }  // 0: no write in flight
    bool closed() const { return closed_; }
    std::size_t queued() const { return writing_.size() + waiting_.size(); }

  private:
    explicit StdinPipe(sys::Fd write) : write_(std::move(write)) {}
    void release_buffers();

    sys::Fd write_;
    // The request in flight reads from writing_, so new bytes go to waiting_
    // until it completes.
    std::string writing_;
    std::string waiting_;
    std::uint32_t write_gen_ = 0;
    bool closed_ = false;
};

}  // namespace superv::core

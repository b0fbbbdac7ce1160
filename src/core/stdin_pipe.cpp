#include "superv/core/stdin_pipe.hpp"

#include <fcntl.h>
#include <poll.h>

namespace superv::core {

std::string_view describe(StdinError error) {
    switch (error) {
        case StdinError::NotRunning:
            return "not running";
        case StdinError::NoPipe:
            return "no stdin pipe (its program reads /dev/null)";
        case StdinError::Closed:
            return "stdin closed by the program";
        case StdinError::Full:
            return "stdin buffer full (the program is not reading it)";
    }
    return "stdin error";
}

Result<std::pair<std::unique_ptr<StdinPipe>, sys::Fd>> StdinPipe::create() {
    auto pipe = sys::make_pipe();
    if (!pipe) return pipe.error();
    auto& [read, write] = pipe.value();
    // Only superv's end is non-blocking: programs expect a blocking stdin.
    if (::fcntl(write.get(), F_SETFL, O_NONBLOCK) != 0) return SysError::last("fcntl");
    std::unique_ptr<StdinPipe> stdin_pipe(new StdinPipe(std::move(write)));
    return std::pair(std::move(stdin_pipe), std::move(read));
}

std::optional<StdinError> StdinPipe::queue(std::string_view bytes) {
    if (!closed_) {
        // A pipe whose reader is gone polls as POLLERR: the sender hears of
        // it now (as supervisord's synchronous write would), not from a
        // write that fails later.
        pollfd pfd{write_.get(), POLLOUT, 0};
        if (::poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLNVAL)) != 0) {
            closed_ = true;
            release_buffers();
        }
    }
    if (closed_) return StdinError::Closed;
    if (bytes.size() > kMaxQueuedStdin - queued()) return StdinError::Full;
    waiting_.append(bytes);
    return std::nullopt;
}

std::span<const std::byte> StdinPipe::start_write(std::uint32_t gen) {
    if (write_gen_ != 0 || closed_) return {};
    // Nothing is in flight, so writing_ may change now.
    if (writing_.empty()) {
        writing_.swap(waiting_);
    } else {
        writing_.append(waiting_);
        waiting_.clear();
    }
    if (writing_.empty()) return {};
    write_gen_ = gen;
    return std::as_bytes(std::span(writing_));
}

void StdinPipe::finish_write(int result) {
    write_gen_ = 0;
    if (result < 0) {
        closed_ = true;
        release_buffers();
        return;
    }
    writing_.erase(0, static_cast<std::size_t>(result));
    if (queued() == 0) release_buffers();  // an idle pipe holds no memory
}

void StdinPipe::release_buffers() {
    std::string().swap(writing_);
    std::string().swap(waiting_);
}

}  // namespace superv::core

#include "superv/core/readiness/ready_pipe.hpp"

#include <fcntl.h>

#include <algorithm>

namespace superv::core::readiness {

bool ReadyLineDetector::feed(std::span<const std::byte> chunk) {
    if (!ready_) ready_ = std::find(chunk.begin(), chunk.end(), std::byte{'\n'}) != chunk.end();
    return ready_;
}

Result<ReadyPipe::Ends> ReadyPipe::create() {
    auto pipe = sys::make_pipe();
    if (!pipe) return pipe.error();
    auto& [read_end, write_end] = pipe.value();
    // Only superv's end: the program's end stays blocking, as a program expects.
    const int flags = ::fcntl(read_end.get(), F_GETFL);
    if (flags < 0 || ::fcntl(read_end.get(), F_SETFL, flags | O_NONBLOCK) != 0) {
        return SysError::last("fcntl");
    }
    return Ends{std::unique_ptr<ReadyPipe>(new ReadyPipe(std::move(read_end))),
                std::move(write_end)};
}

ReadyPipe::Outcome ReadyPipe::on_read(int result) {
    if (result < 0) {
        error_ = SysError{"read", -result};
        return Outcome::Failed;
    }
    if (result == 0) return Outcome::Closed;
    const auto got = std::span<const std::byte>(buffer_).first(static_cast<std::size_t>(result));
    return detector_.feed(got) ? Outcome::Ready : Outcome::Pending;
}

}  // namespace superv::core::readiness

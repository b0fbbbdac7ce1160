#include "superv/log/output_channel.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>

namespace superv::log {

Result<std::unique_ptr<OutputChannel>> OutputChannel::create(std::string owner,
                                                             const config::LogSpec& spec) {
    int fds[2];
    // The read end is superv's and non-blocking; the write end is the
    // program's fd 1 or 2 and stays blocking, as programs expect.
    if (::pipe2(fds, O_CLOEXEC) != 0) return SysError::last("pipe2");
    sys::Fd read(fds[0]);
    sys::Fd write(fds[1]);
    if (::fcntl(read.get(), F_SETFL, O_NONBLOCK) != 0) return SysError::last("fcntl");
    std::unique_ptr<OutputChannel> channel(
        new OutputChannel(std::move(owner), spec, std::move(read), std::move(write)));
    if (auto opened = channel->file_.open(); !opened) {
        channel->failing_ = true;
        spdlog::error("{} log {}: {}; output discarded until it can be opened (SIGUSR2 retries)",
                      channel->owner_, channel->file_.path(), opened.error().message());
    }
    return channel;
}

OutputChannel::OutputChannel(std::string owner, const config::LogSpec& spec, sys::Fd read,
                             sys::Fd write)
    : owner_(std::move(owner)),
      file_(spec.target.path, spec.max_bytes, spec.backups),
      read_(std::move(read)),
      write_(std::move(write)) {}

OutputChannel::~OutputChannel() {
    for (const Follower& f : followers_)
        f({});
}

void OutputChannel::write_out(std::string_view data) {
    if (file_.is_open() || !failing_) {
        if (auto r = file_.write(data); !r) {
            // Disk full, file removed under us...: the program keeps running
            // and its output is dropped; one log line per failing spell.
            if (!failing_) {
                spdlog::error("{} log {}: {}; output discarded", owner_, file_.path(),
                              r.error().message());
            }
            failing_ = true;
        } else if (failing_) {
            spdlog::info("{} log {}: writing again", owner_, file_.path());
            failing_ = false;
        }
    }
    std::erase_if(followers_, [&](const Follower& f) { return !f(data); });
}

bool OutputChannel::drain(std::span<char> scratch) {
    const ssize_t n = ::read(read_.get(), scratch.data(), scratch.size());
    if (n > 0) {
        write_out(std::string_view(scratch.data(), static_cast<std::size_t>(n)));
        return true;
    }
    return n < 0 && (errno == EAGAIN || errno == EINTR);
}

void OutputChannel::drain_all(std::span<char> scratch) {
    for (;;) {
        const ssize_t n = ::read(read_.get(), scratch.data(), scratch.size());
        if (n <= 0) return;
        write_out(std::string_view(scratch.data(), static_cast<std::size_t>(n)));
    }
}

void OutputChannel::reopen() {
    if (auto r = file_.reopen(); !r) {
        spdlog::error("{} log {}: reopen: {}", owner_, file_.path(), r.error().message());
        failing_ = true;
    } else {
        failing_ = false;
    }
}

Result<void> OutputChannel::clear() {
    auto cleared = file_.clear();
    if (!cleared) {
        spdlog::error("{} log {}: clear: {}", owner_, file_.path(), cleared.error().message());
    }
    failing_ = !file_.is_open();
    return cleared;
}

Result<std::string> OutputChannel::tail(std::uint64_t bytes) const {
    std::ifstream in(file_.path(), std::ios::binary | std::ios::ate);
    if (!in) return SysError::last("open");
    const auto size = static_cast<std::uint64_t>(in.tellg());
    const auto from = size > bytes ? size - bytes : 0;
    std::string data(static_cast<std::size_t>(size - from), '\0');
    in.seekg(static_cast<std::streamoff>(from));
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    return data;
}

}  // namespace superv::log

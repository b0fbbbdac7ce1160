#include "superv/loop/deferred_backend.hpp"

#include <cerrno>

namespace superv::loop {

void DeferredBackend::attach(std::unique_ptr<Backend> real) {
    real_ = std::move(real);
    for (const Request& r : kept_)
        replay(r);
    kept_.clear();
    kept_.shrink_to_fit();
}

void DeferredBackend::replay(const Request& r) {
    switch (r.op) {
        case Op::WaitExit:
            return real_->wait_exit(r.tag, r.fd, r.info);
        case Op::Timer:
            return real_->timer(r.tag, r.deadline);
        case Op::Read:
            return real_->read(r.tag, r.fd, {r.into, r.size});
        case Op::Write:
            return real_->write(r.tag, r.fd, {r.from, r.size});
        case Op::PollReadable:
            return real_->poll_readable(r.tag, r.fd);
        case Op::Connect:
            return real_->connect(r.tag, r.fd, r.addr, static_cast<socklen_t>(r.size), r.bound);
        case Op::Send:
            return real_->send(r.tag, r.fd, {r.from, r.size}, r.bound);
        case Op::Recv:
            return real_->recv(r.tag, r.fd, {r.into, r.size}, r.bound);
        case Op::Accept:
            return real_->accept(r.tag, r.fd);
        case Op::Cancel:
            return real_->cancel(r.tag);
    }
}

std::string_view DeferredBackend::name() const {
    return real_ ? real_->name() : std::string_view("none yet");
}

void DeferredBackend::wait_exit(Tag tag, int pidfd, siginfo_t* info) {
    if (real_) return real_->wait_exit(tag, pidfd, info);
    kept_.push_back({.op = Op::WaitExit, .tag = tag, .fd = pidfd, .info = info});
}

void DeferredBackend::timer(Tag tag, Clock::time_point deadline) {
    if (real_) return real_->timer(tag, deadline);
    kept_.push_back({.op = Op::Timer, .tag = tag, .deadline = deadline});
}

void DeferredBackend::read(Tag tag, int fd, std::span<std::byte> buf) {
    if (real_) return real_->read(tag, fd, buf);
    kept_.push_back({.op = Op::Read, .tag = tag, .fd = fd, .into = buf.data(), .size = buf.size()});
}

void DeferredBackend::write(Tag tag, int fd, std::span<const std::byte> buf) {
    if (real_) return real_->write(tag, fd, buf);
    kept_.push_back(
        {.op = Op::Write, .tag = tag, .fd = fd, .from = buf.data(), .size = buf.size()});
}

void DeferredBackend::poll_readable(Tag tag, int fd) {
    if (real_) return real_->poll_readable(tag, fd);
    kept_.push_back({.op = Op::PollReadable, .tag = tag, .fd = fd});
}

void DeferredBackend::connect(Tag tag, int fd, const sockaddr* addr, socklen_t len,
                              std::optional<Clock::time_point> deadline) {
    if (real_) return real_->connect(tag, fd, addr, len, deadline);
    kept_.push_back(
        {.op = Op::Connect, .tag = tag, .fd = fd, .size = len, .addr = addr, .bound = deadline});
}

void DeferredBackend::send(Tag tag, int fd, std::span<const std::byte> buf,
                           std::optional<Clock::time_point> deadline) {
    if (real_) return real_->send(tag, fd, buf, deadline);
    kept_.push_back({.op = Op::Send,
                     .tag = tag,
                     .fd = fd,
                     .from = buf.data(),
                     .size = buf.size(),
                     .bound = deadline});
}

void DeferredBackend::recv(Tag tag, int fd, std::span<std::byte> buf,
                           std::optional<Clock::time_point> deadline) {
    if (real_) return real_->recv(tag, fd, buf, deadline);
    kept_.push_back({.op = Op::Recv,
                     .tag = tag,
                     .fd = fd,
                     .into = buf.data(),
                     .size = buf.size(),
                     .bound = deadline});
}

void DeferredBackend::accept(Tag tag, int fd) {
    if (real_) return real_->accept(tag, fd);
    kept_.push_back({.op = Op::Accept, .tag = tag, .fd = fd});
}

void DeferredBackend::cancel(Tag tag) {
    if (real_) return real_->cancel(tag);
    kept_.push_back({.op = Op::Cancel, .tag = tag});
}

std::size_t DeferredBackend::submit() {
    return real_ ? real_->submit() : 0;
}

Result<void> DeferredBackend::wait(std::vector<Completion>& out) {
    if (real_) return real_->wait(out);
    return SysError{"wait (no event loop yet)", EAGAIN};
}

}  // namespace superv::loop

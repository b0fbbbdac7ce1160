#include "uring_backend.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ready_io.hpp"
#include "uring_setup.hpp"

namespace superv::loop {
namespace {

// The SQ only has to hold what is queued between two submits; a bigger batch
// is flushed early by get_sqe(). The CQ holds two completions per process (its
// exit and a grace timer) for a thousand processes stopping at once; beyond
// that the kernel keeps the surplus on its overflow list (IORING_FEAT_NODROP)
// and drain() pulls it back. Every CQ page ends up resident: 32 KiB here.
constexpr unsigned kSqEntries = 256;
constexpr unsigned kCqEntries = 2048;

// READ/WRITE at offset -1 use and advance the file position, like read(2).
constexpr std::uint64_t kCurrentPosition = ~std::uint64_t{0};

__kernel_timespec to_kernel_timespec(Clock::time_point t) {
    const auto ns = std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
    return __kernel_timespec{ns / 1'000'000'000, ns % 1'000'000'000};
}

}  // namespace

Result<std::unique_ptr<Backend>> UringBackend::create(bool force_poll_exits) {
    std::unique_ptr<UringBackend> backend(new UringBackend());
    if (auto set_up = setup_ring(backend->ring_, kSqEntries, kCqEntries); !set_up) {
        return set_up.error();
    }
    backend->ring_ready_ = true;
    bool waitid = false;
    if (auto probed = probe_ring(backend->ring_, &waitid); !probed) return probed.error();
    backend->waitid_ = waitid && !force_poll_exits;
    return std::unique_ptr<Backend>(std::move(backend));
}

UringBackend::~UringBackend() {
    if (!ring_ready_) return;
    cancel_everything();
    io_uring_queue_exit(&ring_);
}

std::string_view UringBackend::name() const {
    return waitid_ ? "io_uring (waitid)" : "io_uring (poll)";
}

void UringBackend::wait_exit(Tag tag, int pidfd, siginfo_t* info) {
    start(tag, Pending{.op = waitid_ ? Op::ExitWaitid : Op::ExitPoll, .fd = pidfd, .info = info});
}

void UringBackend::timer(Tag tag, Clock::time_point deadline) {
    start(tag, Pending{.op = Op::Timer, .deadline = to_kernel_timespec(deadline)});
}

void UringBackend::read(Tag tag, int fd, std::span<std::byte> buf) {
    const auto len = static_cast<unsigned>(std::min(buf.size(), kMaxIoBytes));
    start(tag, Pending{.op = Op::Read, .fd = fd, .buf = buf.data(), .len = len});
}

void UringBackend::write(Tag tag, int fd, std::span<const std::byte> buf) {
    const auto len = static_cast<unsigned>(std::min(buf.size(), kMaxIoBytes));
    // The kernel only reads from it; Pending keeps one pointer type for both.
    void* data = const_cast<std::byte*>(buf.data());
    start(tag, Pending{.op = Op::Write, .fd = fd, .buf = data, .len = len});
}

UringBackend::Pending UringBackend::bounded(Pending pending,
                                            std::optional<Clock::time_point> deadline) {
    if (deadline) {
        pending.deadline = to_kernel_timespec(*deadline);
        pending.linked_deadline = true;
    }
    return pending;
}

void UringBackend::connect(Tag tag, int fd, const sockaddr* addr, socklen_t len,
                           std::optional<Clock::time_point> deadline) {
    // The kernel only reads the address, as it does write()'s buffer.
    void* address = const_cast<sockaddr*>(addr);
    start(tag, bounded(Pending{.op = Op::Connect, .fd = fd, .buf = address, .len = len}, deadline));
}

void UringBackend::send(Tag tag, int fd, std::span<const std::byte> buf,
                        std::optional<Clock::time_point> deadline) {
    const auto len = static_cast<unsigned>(std::min(buf.size(), kMaxIoBytes));
    void* data = const_cast<std::byte*>(buf.data());
    start(tag, bounded(Pending{.op = Op::Send, .fd = fd, .buf = data, .len = len}, deadline));
}

void UringBackend::recv(Tag tag, int fd, std::span<std::byte> buf,
                        std::optional<Clock::time_point> deadline) {
    const auto len = static_cast<unsigned>(std::min(buf.size(), kMaxIoBytes));
    start(tag, bounded(Pending{.op = Op::Recv, .fd = fd, .buf = buf.data(), .len = len}, deadline));
}

void UringBackend::accept(Tag tag, int fd) {
    start(tag, Pending{.op = Op::Accept, .fd = fd});
}

void UringBackend::poll_readable(Tag tag, int fd) {
    start(tag, Pending{.op = Op::Poll, .fd = fd});
}

void UringBackend::cancel(Tag tag) {
    auto it = pending_.find(tag.raw());
    if (it == pending_.end() || it->second.cancel_requested || it->second.completed_early) return;
    io_uring_sqe* sqe = get_sqe();
    if (sqe == nullptr) return;  // the SQ cannot take it now; a later cancel() can
    it->second.cancel_requested = true;
    // ASYNC_CANCEL by user_data finds polls, reads, timeouts and, from 6.7,
    // waitids, searching the waitids first: with one pending per process a
    // cancel costs O(processes). A timer's goes to TIMEOUT_REMOVE, which
    // searches the timeouts only. Its own CQE says whether it found the
    // request; the request's CQE is what the consumer sees.
    if (it->second.op == Op::Timer) {
        io_uring_prep_timeout_remove(sqe, tag.raw(), 0);
    } else {
        io_uring_prep_cancel64(sqe, tag.raw(), 0);
    }
    io_uring_sqe_set_data64(sqe, kInternal);
}

std::size_t UringBackend::submit() {
    const int submitted = io_uring_submit(&ring_);
    return submitted > 0 ? static_cast<std::size_t>(submitted) : 0;
}

void UringBackend::start(Tag tag, const Pending& pending) {
    const std::uint64_t raw = tag.raw();
    if (const int refused = refuse_tag(raw)) {
        early_.push_back(Completion{tag, refused});
        return;
    }
    auto [it, fresh] = pending_.try_emplace(raw, pending);
    if (!fresh) {
        early_.push_back(Completion{tag, -EEXIST});
        return;
    }
    // IORING_OP_WAITID fills only the fields waitid(2) defines; clearing the
    // rest makes both exit paths hand back identical siginfo. (Not before the
    // tag checks: a refused request must not touch a pending one's siginfo.)
    if (pending.info != nullptr) std::memset(pending.info, 0, sizeof(*pending.info));
    if (pending.op == Op::ExitPoll) {
        // IORING_OP_WAITID fails at once with -ECHILD for a process that is
        // not our child, but its pidfd turns readable only when it exits:
        // asking waitid first keeps the poll path identical (and skips the
        // poll for a process that has already exited).
        if (const int reaped = reap_exit(pending.fd, pending.info); reaped != -EAGAIN) {
            finish_early(raw, reaped);
            return;
        }
    }
    issue(raw, it->second);
}

io_uring_sqe* UringBackend::get_sqe(unsigned count) {
    // SQ full: a batch bigger than the SQ (stopping a thousand processes)
    // goes to the kernel in several io_uring_enter calls.
    if (io_uring_sq_space_left(&ring_) < count) io_uring_submit(&ring_);
    if (io_uring_sq_space_left(&ring_) < count) return nullptr;
    return io_uring_get_sqe(&ring_);
}

void UringBackend::link_deadline(io_uring_sqe* sqe, Pending& p) {
    if (!p.linked_deadline) return;
    // The timeout cancels the request if it fires first (the request then
    // completes with -ECANCELED, reported as -ETIMEDOUT); its own CQE is a
    // receipt either way.
    sqe->flags |= IOSQE_IO_LINK;
    io_uring_sqe* timeout = io_uring_get_sqe(&ring_);
    io_uring_prep_link_timeout(timeout, &p.deadline, IORING_TIMEOUT_ABS);
    io_uring_sqe_set_data64(timeout, kInternal);
}

void UringBackend::issue(std::uint64_t raw, Pending& p) {
    io_uring_sqe* sqe = get_sqe(p.linked_deadline ? 2 : 1);
    if (sqe == nullptr) {
        finish_early(raw, -EBUSY);
        return;
    }
    switch (p.op) {
        case Op::ExitWaitid:
            // liburing 2.3 has no io_uring_prep_waitid. The kernel's
            // io_waitid_prep reads idtype from len, the id from fd, options
            // from file_index and the siginfo pointer from addr2.
            io_uring_prep_rw(kOpWaitid, sqe, p.fd, nullptr, P_PIDFD, 0);
            sqe->file_index = WEXITED;
            sqe->addr2 = reinterpret_cast<std::uintptr_t>(p.info);
            break;
        case Op::ExitPoll:
            // A pidfd turns readable when the process exits (5.3+).
            io_uring_prep_poll_add(sqe, p.fd, POLLIN);
            break;
        case Op::Timer:
            io_uring_prep_timeout(sqe, &p.deadline, 0, IORING_TIMEOUT_ABS);
            break;
        case Op::Read:
            io_uring_prep_read(sqe, p.fd, p.buf, p.len, kCurrentPosition);
            break;
        case Op::Write:
            io_uring_prep_write(sqe, p.fd, p.buf, p.len, kCurrentPosition);
            break;
        case Op::Accept:
            io_uring_prep_accept(sqe, p.fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
            break;
        case Op::Poll:
            io_uring_prep_poll_add(sqe, p.fd, POLLIN);
            break;
        case Op::Connect:
            io_uring_prep_connect(sqe, p.fd, static_cast<const sockaddr*>(p.buf), p.len);
            break;
        case Op::Send:
            io_uring_prep_send(sqe, p.fd, p.buf, p.len, MSG_NOSIGNAL);
            break;
        case Op::Recv:
            io_uring_prep_recv(sqe, p.fd, p.buf, p.len, 0);
            break;
    }
    io_uring_sqe_set_data64(sqe, raw);
    link_deadline(sqe, p);
}

void UringBackend::arm_poll(std::uint64_t raw, Pending& p, unsigned events) {
    io_uring_sqe* sqe = get_sqe(p.linked_deadline ? 2 : 1);
    if (sqe == nullptr) {
        finish_early(raw, -EBUSY);
        return;
    }
    io_uring_prep_poll_add(sqe, p.fd, events);
    io_uring_sqe_set_data64(sqe, raw);
    link_deadline(sqe, p);
    p.awaiting_readiness = true;
}

}  // namespace superv::loop

// The epoll backend's readiness side: keeping the epoll set in line with the
// pending requests, running a request's system call once its fd is ready, and
// firing due timers.
#include <poll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>

#include "epoll_backend.hpp"
#include "ready_io.hpp"

namespace superv::loop {
namespace {

timespec to_timespec(Clock::time_point t) {
    // A zero it_value disarms a timerfd: a deadline at (or before) the clock's
    // epoch still has to fire, so it becomes 1 ns.
    const auto ns = std::max<std::int64_t>(
        1, std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
    return timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}

}  // namespace

void EpollBackend::update_interest(int fd) {
    auto it = watches_.find(fd);
    if (it == watches_.end()) return;
    Watch& watch = it->second;
    std::uint32_t want = 0;
    for (const Request& r : watch.requests)
        want |= events_for(r.op);
    if (want == 0) {
        // Errors are expected and harmless: if the owner already closed the
        // fd, the kernel dropped it from the set.
        if (watch.registered != 0) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
        watches_.erase(it);
        return;
    }
    if (want == watch.registered) return;
    epoll_event event{};
    event.events = want;
    event.data.fd = fd;
    int rc = ::epoll_ctl(epoll_fd_, watch.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event);
    // ENOENT on MOD: the fd was closed (leaving the set) and the number reused.
    if (rc < 0 && errno == ENOENT) rc = ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
    if (rc == 0) {
        watch.registered = want;
        return;
    }
    const int err = errno;
    if (watch.registered != 0) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    // EPERM: regular files cannot be polled; they are always ready (as poll(2)
    // reports them), so their requests run now. Any other error fails them.
    std::vector<Request> requests = std::move(watch.requests);
    watches_.erase(it);
    for (const Request& r : requests)
        complete_watched(r, err == EPERM ? run(r) : -err);
}

int EpollBackend::run(const Request& r) {
    switch (r.op) {
        case Op::Exit:
            return reap_exit(r.fd, r.info);
        case Op::Read:
            return read_ready(r.fd, r.buf, r.len);
        case Op::Write:
            return write_ready(r.fd, r.buf, r.len);
        case Op::Accept:
            return accept_ready(r.fd);
        case Op::Poll:
            return POLLIN;  // epoll said so; the caller reads by itself
        case Op::Connect:
            return connect_result(r.fd);
        case Op::Send:
            return send_ready(r.fd, r.buf, r.len);
        case Op::Recv:
            return recv_ready(r.fd, r.buf, r.len);
        case Op::Timer:
            break;
    }
    return -EAGAIN;  // timers never wait on an fd
}

void EpollBackend::on_ready(int fd, std::uint32_t events) {
    auto it = watches_.find(fd);
    if (it == watches_.end()) return;
    std::vector<Request>& requests = it->second.requests;
    // Each request whose event came runs once, oldest first. -EAGAIN (another
    // request took the data, or a pidfd that is readable before its process can
    // be reaped) keeps it waiting; error and hang-up wake everyone, and the
    // system call then reports what happened.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const Request& r = requests[i];
        const bool woken = events & (events_for(r.op) | EPOLLERR | EPOLLHUP);
        const int result = woken ? run(r) : -EAGAIN;
        if (result == -EAGAIN) {
            requests[kept++] = r;
        } else {
            complete_watched(r, result);
        }
    }
    requests.resize(kept);
    update_interest(fd);
}

void EpollBackend::expire_timers() {
    std::uint64_t expirations = 0;
    // Only clears the readiness; the heap, not the count, says what is due.
    [[maybe_unused]] const ssize_t n = ::read(timer_fd_, &expirations, sizeof(expirations));
    // A one-shot timerfd that fired is disarmed: rearm_timer() must set it
    // again even for an unchanged earliest deadline.
    armed_.reset();
    due_.clear();
    timers_.pop_due(Clock::now(), due_);
    for (std::uint64_t tag : due_) {
        // A timer, or the deadline of a request still waiting on its fd.
        const auto it = where_.find(tag);
        if (it == where_.end() || it->second == kDone) continue;
        if (it->second == kTimer) {
            complete(tag, 0);
        } else {
            time_out(tag, it->second);
        }
    }
}

void EpollBackend::rearm_timer() {
    if (timers_.empty()) {
        if (armed_) {
            const itimerspec off{};
            ::timerfd_settime(timer_fd_, 0, &off, nullptr);
            armed_.reset();
        }
        return;
    }
    const Clock::time_point next = timers_.earliest();
    if (armed_ == next) return;
    itimerspec spec{};
    spec.it_value = to_timespec(next);
    ::timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr);
    armed_ = next;
}

}  // namespace superv::loop

#include "epoll_backend.hpp"

#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ready_io.hpp"

namespace superv::loop {

Result<std::unique_ptr<Backend>> EpollBackend::create() {
    std::unique_ptr<EpollBackend> backend(new EpollBackend());
    backend->epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (backend->epoll_fd_ < 0) return SysError::last("epoll_create1");
    backend->timer_fd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (backend->timer_fd_ < 0) return SysError::last("timerfd_create");
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = backend->timer_fd_;
    if (::epoll_ctl(backend->epoll_fd_, EPOLL_CTL_ADD, backend->timer_fd_, &event) < 0) {
        return SysError::last("epoll_ctl");
    }
    backend->events_.resize(256);
    return std::unique_ptr<Backend>(std::move(backend));
}

EpollBackend::~EpollBackend() {
    if (timer_fd_ >= 0) ::close(timer_fd_);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

void EpollBackend::wait_exit(Tag tag, int pidfd, siginfo_t* info) {
    start(Request{.tag = tag.raw(), .op = Op::Exit, .fd = pidfd, .info = info});
}

void EpollBackend::timer(Tag tag, Clock::time_point deadline) {
    start(Request{.tag = tag.raw(), .op = Op::Timer, .deadline = deadline});
}

void EpollBackend::read(Tag tag, int fd, std::span<std::byte> buf) {
    start(
        Request{.tag = tag.raw(), .op = Op::Read, .fd = fd, .buf = buf.data(), .len = buf.size()});
}

void EpollBackend::write(Tag tag, int fd, std::span<const std::byte> buf) {
    std::byte* data = const_cast<std::byte*>(buf.data());
    start(Request{.tag = tag.raw(), .op = Op::Write, .fd = fd, .buf = data, .len = buf.size()});
}

EpollBackend::Request EpollBackend::bounded(Request request,
                                            std::optional<Clock::time_point> deadline) {
    if (deadline) {
        request.deadline = *deadline;
        request.bounded = true;
    }
    return request;
}

void EpollBackend::connect(Tag tag, int fd, const sockaddr* addr, socklen_t len,
                           std::optional<Clock::time_point> deadline) {
    // Only read through, as write()'s buffer.
    auto* address = reinterpret_cast<std::byte*>(const_cast<sockaddr*>(addr));
    start(
        bounded(Request{.tag = tag.raw(), .op = Op::Connect, .fd = fd, .buf = address, .len = len},
                deadline));
}

void EpollBackend::send(Tag tag, int fd, std::span<const std::byte> buf,
                        std::optional<Clock::time_point> deadline) {
    std::byte* data = const_cast<std::byte*>(buf.data());
    start(
        bounded(Request{.tag = tag.raw(), .op = Op::Send, .fd = fd, .buf = data, .len = buf.size()},
                deadline));
}

void EpollBackend::recv(Tag tag, int fd, std::span<std::byte> buf,
                        std::optional<Clock::time_point> deadline) {
    start(bounded(
        Request{.tag = tag.raw(), .op = Op::Recv, .fd = fd, .buf = buf.data(), .len = buf.size()},
        deadline));
}

void EpollBackend::accept(Tag tag, int fd) {
    start(Request{.tag = tag.raw(), .op = Op::Accept, .fd = fd});
}

void EpollBackend::poll_readable(Tag tag, int fd) {
    start(Request{.tag = tag.raw(), .op = Op::Poll, .fd = fd});
}

void EpollBackend::cancel(Tag tag) {
    const std::uint64_t raw = tag.raw();
    auto it = where_.find(raw);
    // Unknown, or completed already: its own result stands.
    if (it == where_.end() || it->second == kDone) return;
    const int where = it->second;
    const auto same_tag = [raw](const Request& r) { return r.tag == raw; };
    if (where == kQueued) {
        std::erase_if(queued_, same_tag);
    } else if (where == kTimer) {
        timers_.erase(raw);  // the timerfd follows at the next submit()
    } else {
        std::erase_if(watches_[where].requests, same_tag);
        update_interest(where);
        timers_.erase(raw);  // its deadline, if it had one
    }
    complete(raw, -ECANCELED);
}

std::size_t EpollBackend::submit() {
    const std::size_t count = queued_.size();
    // update_interest() may complete requests but never queues new ones, so
    // iterating queued_ directly is safe.
    for (const Request& request : queued_) {
        if (request.op == Op::Timer) {
            timers_.push(request.tag, request.deadline);
            where_[request.tag] = kTimer;
            continue;
        }
        if (request.op == Op::Connect) {
            // connect(2) starts now; only one in progress waits for the fd.
            const int started =
                start_connect(request.fd, reinterpret_cast<const sockaddr*>(request.buf),
                              static_cast<socklen_t>(request.len));
            if (started != -EINPROGRESS) {
                complete(request.tag, started);
                continue;
            }
        }
        if (request.bounded) timers_.push(request.tag, request.deadline);
        where_[request.tag] = request.fd;
        watches_[request.fd].requests.push_back(request);
        update_interest(request.fd);
    }
    queued_.clear();
    rearm_timer();
    return count;
}

Result<void> EpollBackend::wait(std::vector<Completion>& out) {
    submit();
    for (;;) {
        // Completions decided without the kernel (cancels, refused tags) must
        // not wait for an unrelated event: only peek then.
        const int timeout = ready_.empty() ? -1 : 0;
        const int n =
            ::epoll_wait(epoll_fd_, events_.data(), static_cast<int>(events_.size()), timeout);
        if (n < 0) {
            if (errno == EINTR) continue;
            return SysError::last("epoll_wait");
        }
        for (int i = 0; i < n; ++i) {
            if (events_[i].data.fd == timer_fd_) {
                expire_timers();
            } else {
                on_ready(events_[i].data.fd, events_[i].events);
            }
        }
        rearm_timer();
        if (!ready_.empty()) {
            for (const Completion& c : ready_) {
                // A refused request (-EEXIST) must not free its tag's
                // pending namesake, so only kDone entries go.
                auto it = where_.find(c.tag.raw());
                if (it != where_.end() && it->second == kDone) where_.erase(it);
            }
            out.insert(out.end(), ready_.begin(), ready_.end());
            ready_.clear();
            return Ok{};
        }
    }
}

void EpollBackend::start(const Request& request) {
    const Tag tag = Tag::from_raw(request.tag);
    if (const int refused = refuse_tag(request.tag)) {
        ready_.push_back(Completion{tag, refused});
        return;
    }
    if (!where_.try_emplace(request.tag, kQueued).second) {
        ready_.push_back(Completion{tag, -EEXIST});
        return;
    }
    if (request.op == Op::Exit) {
        std::memset(request.info, 0, sizeof(*request.info));
        // As on io_uring, a process that is not our child gives -ECHILD at
        // once, not when its pidfd turns readable at its exit.
        if (const int reaped = reap_exit(request.fd, request.info); reaped != -EAGAIN) {
            complete(request.tag, reaped);
            return;
        }
    }
    queued_.push_back(request);
}

void EpollBackend::complete_watched(const Request& request, int result) {
    if (request.bounded) timers_.erase(request.tag);
    complete(request.tag, result);
}

void EpollBackend::time_out(std::uint64_t tag, int fd) {
    auto it = watches_.find(fd);
    if (it != watches_.end()) {
        std::erase_if(it->second.requests, [tag](const Request& r) { return r.tag == tag; });
        update_interest(fd);
    }
    complete(tag, -ETIMEDOUT);
}

void EpollBackend::complete(std::uint64_t tag, int result) {
    where_[tag] = kDone;
    ready_.push_back(Completion{Tag::from_raw(tag), result});
}

}  // namespace superv::loop

// The event loop's one interface. A backend turns requests into kernel work
// and kernel results into completions; it knows nothing about programs.
//
// Requests are queued by the calls below and reach the kernel together at the
// next submit() or wait(): a batch (e.g. every grace timer of a stop) is one
// io_uring_submit on the io_uring backend. Every request completes exactly
// once with its tag, including cancelled ones (result -ECANCELED).
//
// Two implementations: io_uring (the main path) and epoll (where io_uring is
// refused). The supervisor cannot tell which one runs.
//
// Tags: a tag names one request and is busy from the request until wait()
// hands out its completion (a cancelled request's too). A request with a busy
// tag completes with -EEXIST; TagKind::Internal is the backend's own, and a
// request tagged with it completes with -EINVAL. Either way the busy request
// is untouched. Requests on fds expect non-blocking fds (the epoll backend
// runs the system call itself once the fd is ready).
#pragma once

#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "superv/common/result.hpp"
#include "superv/loop/tag.hpp"

namespace superv::loop {

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC

struct Completion {
    Tag tag;
    int result = 0;  // >= 0 success (bytes, new fd, 0); < 0 is -errno
};

class Backend {
  public:
    virtual ~Backend() = default;

    // "io_uring (waitid)", "io_uring (poll)" or "epoll".
    virtual std::string_view name() const = 0;

    // Completes when the process behind `pidfd` has exited, after reaping it:
    // result 0 and *info filled like waitid(2). *info must stay valid until
    // the completion. -ECHILD if it was reaped elsewhere.
    virtual void wait_exit(Tag tag, int pidfd, siginfo_t* info) = 0;

    // Completes with 0 at `deadline` (CLOCK_MONOTONIC), or -ECANCELED.
    virtual void timer(Tag tag, Clock::time_point deadline) = 0;

    // read(2)/recv into `buf` once the fd is readable: result = bytes (0 at EOF).
    virtual void read(Tag tag, int fd, std::span<std::byte> buf) = 0;

    // write(2)/send of `buf` once writable: result = bytes written (maybe short).
    virtual void write(Tag tag, int fd, std::span<const std::byte> buf) = 0;

    // Completes once `fd` is readable (or at EOF / error): result = the
    // poll(2) revents. The caller then reads into a buffer of its own, so
    // many idle fds (captured output) need no buffer each.
    virtual void poll_readable(Tag tag, int fd) = 0;

    // Socket requests bounded by a deadline (CLOCK_MONOTONIC; nullopt: none):
    // each completes with its own result, or with -ETIMEDOUT once `deadline`
    // came first. io_uring links the request to an IORING_OP_LINK_TIMEOUT;
    // epoll bounds the fd's wait with a timer of its heap.
    //
    // connect(2) of the non-blocking socket `fd` to `*addr`, which must stay
    // valid until the completion: result 0, or -errno (-ECONNREFUSED, ...).
    virtual void connect(Tag tag, int fd, const sockaddr* addr, socklen_t len,
                         std::optional<Clock::time_point> deadline) = 0;
    // send(2) of `buf` with MSG_NOSIGNAL: result = bytes sent (maybe short).
    virtual void send(Tag tag, int fd, std::span<const std::byte> buf,
                      std::optional<Clock::time_point> deadline) = 0;
    // recv(2) into `buf`: result = bytes (0 at end of stream).
    virtual void recv(Tag tag, int fd, std::span<std::byte> buf,
                      std::optional<Clock::time_point> deadline) = 0;

    // accept4(fd, SOCK_CLOEXEC | SOCK_NONBLOCK): result = the new fd.
    virtual void accept(Tag tag, int fd) = 0;

    // Cancels the pending request with this tag; it completes with -ECANCELED
    // (or with its own result if it finished first). No-op for unknown tags.
    virtual void cancel(Tag tag) = 0;

    // Hands every queued request to the kernel. Returns how many went.
    virtual std::size_t submit() = 0;

    // Submits what is queued, sleeps until at least one completion is ready
    // (no timeout, no periodic wake-up), then appends every ready completion
    // to `out`. EINTR is retried inside.
    virtual Result<void> wait(std::vector<Completion>& out) = 0;
};

// UringPoll: io_uring, but exits always take the POLL_ADD + waitid path even
// where IORING_OP_WAITID exists (tests and benchmarks of the 6.1 path).
enum class BackendKind { Auto, Uring, Epoll, UringPoll };

// Picks and sets up a backend. Auto: io_uring when the kernel allows it,
// else epoll. `why_fallback` receives the reason when Auto fell back.
Result<std::unique_ptr<Backend>> make_backend(BackendKind kind, std::string* why_fallback);

}  // namespace superv::loop

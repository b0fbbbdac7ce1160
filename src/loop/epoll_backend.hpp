// The epoll backend, for where io_uring is refused (seccomp, Docker,
// kernel.io_uring_disabled): readiness from epoll, then the backend runs the
// system call itself. Timers share one timerfd that follows the earliest
// deadline of a TimerHeap.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "superv/loop/backend.hpp"
#include "superv/loop/timer_heap.hpp"

namespace superv::loop {

class EpollBackend final : public Backend {
  public:
    static Result<std::unique_ptr<Backend>> create();
    ~EpollBackend() override;

    std::string_view name() const override { return "epoll"; }
    void wait_exit(Tag tag, int pidfd, siginfo_t* info) override;
    void timer(Tag tag, Clock::time_point deadline) override;
    void read(Tag tag, int fd, std::span<std::byte> buf) override;
    void write(Tag tag, int fd, std::span<const std::byte> buf) override;
    void connect(Tag tag, int fd, const sockaddr* addr, socklen_t len,
                 std::optional<Clock::time_point> deadline) override;
    void send(Tag tag, int fd, std::span<const std::byte> buf,
              std::optional<Clock::time_point> deadline) override;
    void recv(Tag tag, int fd, std::span<std::byte> buf,
              std::optional<Clock::time_point> deadline) override;
    void accept(Tag tag, int fd) override;
    void poll_readable(Tag tag, int fd) override;
    void cancel(Tag tag) override;
    std::size_t submit() override;
    Result<void> wait(std::vector<Completion>& out) override;

  private:
    enum class Op : std::uint8_t {
        Exit,
        Timer,
        Read,
        Write,
        Accept,
        Poll,
        Connect,  // buf: the address, len: its length; waits only while in progress
        Send,
        Recv
    };

    struct Request {
        std::uint64_t tag = 0;
        Op op = Op::Timer;
        int fd = -1;
        std::byte* buf = nullptr;  // write() only reads through it
        std::size_t len = 0;
        siginfo_t* info = nullptr;
        Clock::time_point deadline{};
        // A request on an fd with a deadline: its tag is in the timer heap
        // too, and -ETIMEDOUT ends its wait there.
        bool bounded = false;
    };

    // The requests waiting on one fd, oldest first, and the events the epoll
    // set holds for it (0: not in the set).
    struct Watch {
        std::uint32_t registered = 0;
        std::vector<Request> requests;
    };

    // Where a pending request is: an fd (>= 0) or one of these. kDone: its
    // completion waits in ready_; the tag stays busy until wait() hands it
    // out, as on io_uring.
    static constexpr int kTimer = -1;
    static constexpr int kQueued = -2;
    static constexpr int kDone = -3;

    EpollBackend() = default;

    // The events a request waits for, and its system call once they came.
    static std::uint32_t events_for(Op op) {
        const bool out = op == Op::Write || op == Op::Connect || op == Op::Send;
        return out ? EPOLLOUT : EPOLLIN;
    }
    static Request bounded(Request request, std::optional<Clock::time_point> deadline);
    static int run(const Request& request);

    void start(const Request& request);
    void complete(std::uint64_t tag, int result);
    // A request waiting on an fd completes: its deadline, if any, goes too.
    void complete_watched(const Request& request, int result);
    // Its deadline came first: out of its fd's wait, with -ETIMEDOUT.
    void time_out(std::uint64_t tag, int fd);
    // Brings the epoll set in line with what the fd's requests wait for.
    void update_interest(int fd);
    void on_ready(int fd, std::uint32_t events);
    void expire_timers();
    void rearm_timer();

    int epoll_fd_ = -1;
    int timer_fd_ = -1;
    std::unordered_map<std::uint64_t, int> where_;  // every busy tag
    std::vector<Request> queued_;                   // not yet submitted
    std::unordered_map<int, Watch> watches_;
    TimerHeap timers_;
    std::optional<Clock::time_point> armed_;  // the timerfd's deadline, if armed
    std::vector<Completion> ready_;           // delivered by the next wait()
    std::vector<epoll_event> events_;
    std::vector<std::uint64_t> due_;
};

}  // namespace superv::loop

// A backend that exists before the real one: requests made before attach()
// are kept, in order, and handed to the real backend when it arrives; after
// that every call goes straight through. `superv daemon -- CMD` spawns its
// program first and sets up io_uring (or epoll) after, off the path from
// its exec to the program's.
#pragma once

#include <memory>
#include <vector>

#include "superv/loop/backend.hpp"

namespace superv::loop {

class DeferredBackend final : public Backend {
  public:
    // The real backend: the requests kept so far are queued on it, in order.
    void attach(std::unique_ptr<Backend> real);
    bool attached() const { return real_ != nullptr; }

    // "none yet" before attach().
    std::string_view name() const override;
    void wait_exit(Tag tag, int pidfd, siginfo_t* info) override;
    void timer(Tag tag, Clock::time_point deadline) override;
    void read(Tag tag, int fd, std::span<std::byte> buf) override;
    void write(Tag tag, int fd, std::span<const std::byte> buf) override;
    void poll_readable(Tag tag, int fd) override;
    void connect(Tag tag, int fd, const sockaddr* addr, socklen_t len,
                 std::optional<Clock::time_point> deadline) override;
    void send(Tag tag, int fd, std::span<const std::byte> buf,
              std::optional<Clock::time_point> deadline) override;
    void recv(Tag tag, int fd, std::span<std::byte> buf,
              std::optional<Clock::time_point> deadline) override;
    void accept(Tag tag, int fd) override;
    void cancel(Tag tag) override;
    // 0 before attach(): nothing reaches a kernel yet.
    std::size_t submit() override;
    // Before attach(): fails with EAGAIN (there is nothing to wait on).
    Result<void> wait(std::vector<Completion>& out) override;

  private:
    enum class Op {
        WaitExit,
        Timer,
        Read,
        Write,
        PollReadable,
        Connect,
        Send,
        Recv,
        Accept,
        Cancel
    };
    struct Request {
        Op op;
        Tag tag;
        int fd = -1;
        siginfo_t* info = nullptr;
        Clock::time_point deadline{};
        std::byte* into = nullptr;        // Read, Recv
        const std::byte* from = nullptr;  // Write, Send
        std::size_t size = 0;
        const sockaddr* addr = nullptr;            // Connect
        std::optional<Clock::time_point> bound{};  // Connect, Send, Recv
    };
    void replay(const Request& r);

    std::unique_ptr<Backend> real_;
    std::vector<Request> kept_;
};

}  // namespace superv::loop

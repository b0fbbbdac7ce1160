// The effects on the real system: programs spawned by sys::spawn and tracked
// by their pidfds, signals through those pidfds, and every wait (exit, timer,
// fd) a request to the loop's backend. What the daemon runs on.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "superv/core/effects.hpp"
#include "superv/sys/process.hpp"

namespace superv::core {

class SystemEffects final : public Effects {
  public:
    explicit SystemEffects(loop::Backend& backend) : backend_(backend) {}

    std::variant<pid_t, SpawnFailure> spawn(ProcessId id, const config::ProcessSpec& spec,
                                            const SpawnExtras& io, loop::Tag exit_tag,
                                            siginfo_t* exit_info) override;
    void reaped(ProcessId id) override;
    Result<void> signal(ProcessId id, int sig, bool to_group) override;
    std::variant<pid_t, SpawnFailure> spawn_check(const config::ProcessSpec& spec,
                                                  loop::Tag exit_tag,
                                                  siginfo_t* exit_info) override;
    void kill_check(loop::Tag exit_tag) override;
    void check_reaped(loop::Tag exit_tag) override;

    loop::Clock::time_point now() const override { return loop::Clock::now(); }
    void timer(loop::Tag tag, loop::Clock::time_point deadline) override {
        backend_.timer(tag, deadline);
    }
    void poll_readable(loop::Tag tag, int fd) override { backend_.poll_readable(tag, fd); }
    void read(loop::Tag tag, int fd, std::span<std::byte> buffer) override {
        backend_.read(tag, fd, buffer);
    }
    void write(loop::Tag tag, int fd, std::span<const std::byte> bytes) override {
        backend_.write(tag, fd, bytes);
    }
    void connect(loop::Tag tag, int fd, const sockaddr* addr, socklen_t len,
                 std::optional<loop::Clock::time_point> deadline) override {
        backend_.connect(tag, fd, addr, len, deadline);
    }
    void send(loop::Tag tag, int fd, std::span<const std::byte> bytes,
              loop::Clock::time_point deadline) override {
        backend_.send(tag, fd, bytes, deadline);
    }
    void recv(loop::Tag tag, int fd, std::span<std::byte> buffer,
              loop::Clock::time_point deadline) override {
        backend_.recv(tag, fd, buffer, deadline);
    }
    void cancel(loop::Tag tag) override { backend_.cancel(tag); }
    void submit() override { backend_.submit(); }

  private:
    sys::ProcessHandle* live(ProcessId id);

    loop::Backend& backend_;
    // By slot: the live process of each (invalid: none). A slot's process is
    // replaced only after its exit was reaped.
    std::vector<sys::ProcessHandle> handles_;
    // Health checks' commands, by their exit tags (a few at a time).
    std::unordered_map<std::uint64_t, sys::ProcessHandle> checks_;
};

}  // namespace superv::core

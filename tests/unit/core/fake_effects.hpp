// Effects without a system: spawns get made-up pids, signals and timers are
// written down, and the test hands exits and timer expiries back to the
// supervisor as the completions the loop would deliver. The supervisor's
// rules (orders, batches, escalation, retries) then run with no process and
// no clock but this one.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "superv/core/effects.hpp"
#include "superv/core/lifecycle.hpp"

namespace superv::core::test {

class FakeEffects final : public Effects {
  public:
    // What the supervisor asked for, in order: "spawn web", "signal web TERM",
    // "signal web KILL group", "timer web 1000", "cancel web", "submit".
    std::vector<std::string> calls;

    // The next spawns of `name` (or of its health check command: "check NAME")
    // fail with `failure`; `times` < 0: all of them.
    void fail_spawn(const std::string& name, SpawnFailure failure, int times = -1);

    // The live process `name`'s exit, as the loop would complete it; the
    // process is no longer live for signals (ESRCH) from now on.
    loop::Completion exit(const std::string& name, ExitStatus status);
    // Moves the clock by `by`; returns the timers that are due then, earliest first.
    std::vector<loop::Completion> advance(Millis by);
    // Completions of cancelled requests, as the loop delivers them (-ECANCELED).
    std::vector<loop::Completion> take_cancelled() { return std::exchange(cancelled_, {}); }

    // The pending read of `name`'s readiness source gets `bytes` (empty: EOF).
    loop::Completion complete_read(const std::string& name, const std::string& bytes);

    // The pending socket request (connect, send or recv) of `name`
    // completes with `result`; a recv gets `bytes` (result: their length).
    loop::Completion complete_socket(const std::string& name, int result,
                                     const std::string& bytes = "");
    bool socket_pending(const std::string& name) const;

    // The running health check command of `name` exits with `code` (or is
    // killed by signal `code`), as the loop completes it.
    loop::Completion check_exit(const std::string& name, ExitStatus status);
    bool check_running(const std::string& name) const;

    bool is_live(const std::string& name) const;
    pid_t pid_of(const std::string& name) const;
    std::size_t pending_timers() const { return timers_.size(); }
    // Drops what was written to `calls` so far.
    void forget_calls() { calls.clear(); }

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
    loop::Clock::time_point now() const override { return now_; }
    void timer(loop::Tag tag, loop::Clock::time_point deadline) override;
    void poll_readable(loop::Tag tag, int fd) override;
    void read(loop::Tag tag, int fd, std::span<std::byte> buffer) override;
    void write(loop::Tag tag, int fd, std::span<const std::byte> bytes) override;
    // Recorded as "connect web 1000" / "send web 57 1000" / "recv web 1000"
    // (bytes, then the deadline from now in ms; "none" for no deadline).
    void connect(loop::Tag tag, int fd, const sockaddr* addr, socklen_t len,
                 std::optional<loop::Clock::time_point> deadline) override;
    void send(loop::Tag tag, int fd, std::span<const std::byte> bytes,
              loop::Clock::time_point deadline) override;
    void recv(loop::Tag tag, int fd, std::span<std::byte> buffer,
              loop::Clock::time_point deadline) override;
    void cancel(loop::Tag tag) override;
    void submit() override { calls.push_back("submit"); }

  private:
    struct Live {
        std::string name;
        pid_t pid = 0;
        loop::Tag exit_tag;
        siginfo_t* info = nullptr;
        bool exited = false;  // exit completed, not reaped yet
    };
    struct Failing {
        SpawnFailure failure;
        int times;
    };
    const Live* find(const std::string& name) const;
    static loop::Completion exited(Live& live, ExitStatus status);
    // The next failure fail_spawn() set for `key` ("web", "check web"), used up once.
    std::optional<SpawnFailure> take_failure(const std::string& key);
    std::string name_of(std::uint32_t slot) const;

    loop::Clock::time_point now_{};  // the epoch of steady_clock: any start will do
    pid_t next_pid_ = 1000;
    std::map<std::uint32_t, Live> live_;          // by slot
    std::map<std::uint64_t, Live> checks_;        // health check commands, by exit tag
    std::map<std::uint32_t, std::string> names_;  // every slot that ever spawned
    std::map<std::string, Failing> failing_;
    std::vector<std::pair<loop::Tag, loop::Clock::time_point>> timers_;
    std::vector<loop::Completion> cancelled_;
    std::map<std::uint32_t, std::pair<loop::Tag, std::span<std::byte>>> reads_;    // by slot
    std::map<std::uint32_t, std::pair<loop::Tag, std::span<std::byte>>> sockets_;  // by slot
};

}  // namespace superv::core::test

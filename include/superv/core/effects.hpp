// Effects: everything the supervisor does to the world, behind one interface
// (dinit's bp_sys). The daemon gives it SystemEffects (sys/ and the loop's
// backend); unit tests give it a fake that records each call and hands back
// exits and timers as completions, so the supervisor's rules run without a
// single process.
//
// Requests that complete later (an exit, a timer, a readable fd) complete
// through Supervisor::handle() with the tag they were given, exactly once,
// as the backend's requests do (loop/backend.hpp).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "superv/common/result.hpp"
#include "superv/config/processes.hpp"
#include "superv/core/process_id.hpp"
#include "superv/loop/backend.hpp"
#include "superv/sys/spawn.hpp"

namespace superv::core {

// What superv adds to a process's own config at each spawn: the pipe ends it
// made (where captured output goes in, the read end of its stdin pipe, the
// `ready` fd; -1: none) and variables for its readiness (NOTIFY_SOCKET).
struct SpawnExtras {
    int stdout_fd = -1;
    int stderr_fd = -1;
    int stdin_fd = -1;
    sys::ExtraFd extra_fd{};
    std::vector<std::string> env{};  // KEY=VALUE, over the program's own
};

// Why a spawn failed, for the process's reason and supervisord's spawnerr:
// "execve /usr/bin/foo: No such file or directory", "user \"www\": no such user".
struct SpawnFailure {
    std::string reason;
    int err = 0;  // the errno, 0 when it was not a system call's
};

class Effects {
  public:
    virtual ~Effects() = default;

    // Starts the process `id` of `spec`. On success its exit completes
    // `exit_tag` (result 0, *exit_info filled as waitid(2) fills it; *exit_info
    // must stay where it is until then) and the pid is returned.
    virtual std::variant<pid_t, SpawnFailure> spawn(ProcessId id, const config::ProcessSpec& spec,
                                                    const SpawnExtras& io, loop::Tag exit_tag,
                                                    siginfo_t* exit_info) = 0;
    // The exit of `id` has completed: whatever spawn() holds for it goes.
    virtual void reaped(ProcessId id) = 0;
    // Signals the live process `id` (its whole process group with `to_group`).
    // ESRCH: it has exited, and its exit completion is on its way.
    virtual Result<void> signal(ProcessId id, int sig, bool to_group) = 0;

    // A health check's command (health_probe.hpp: check_spec), spawned as a
    // program is, in its own process group; named by `exit_tag`, which its
    // exit completes as spawn()'s exit_tag does.
    virtual std::variant<pid_t, SpawnFailure> spawn_check(const config::ProcessSpec& spec,
                                                          loop::Tag exit_tag,
                                                          siginfo_t* exit_info) = 0;
    // SIGKILL to the whole process group of the check (its timeout).
    virtual void kill_check(loop::Tag exit_tag) = 0;
    // Its exit has completed: whatever spawn_check() holds for it goes.
    virtual void check_reaped(loop::Tag exit_tag) = 0;

    virtual loop::Clock::time_point now() const = 0;
    virtual void timer(loop::Tag tag, loop::Clock::time_point deadline) = 0;
    virtual void poll_readable(loop::Tag tag, int fd) = 0;
    // `buffer` must stay where it is until the completion (a cancelled one too).
    virtual void read(loop::Tag tag, int fd, std::span<std::byte> buffer) = 0;
    virtual void write(loop::Tag tag, int fd, std::span<const std::byte> bytes) = 0;
    // Socket requests (loop/backend.hpp): each completes with -ETIMEDOUT once
    // `deadline` (if any) passed first. *addr and the buffers must stay
    // where they are until the completion.
    virtual void connect(loop::Tag tag, int fd, const sockaddr* addr, socklen_t len,
                         std::optional<loop::Clock::time_point> deadline) = 0;
    virtual void send(loop::Tag tag, int fd, std::span<const std::byte> bytes,
                      loop::Clock::time_point deadline) = 0;
    virtual void recv(loop::Tag tag, int fd, std::span<std::byte> buffer,
                      loop::Clock::time_point deadline) = 0;
    // The pending request with `tag` completes with -ECANCELED (or its own
    // result if it finished first); no-op for an unknown tag.
    virtual void cancel(loop::Tag tag) = 0;
    // What was asked since the last submit goes out together (one batch).
    virtual void submit() = 0;
};

}  // namespace superv::core

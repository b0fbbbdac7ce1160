// One run of a process's health check, carried out on the loop through
// Effects with no thread: `tcp` a connect request; `http` that connect, then
// the GET sent and the response received until its status line and headers
// are complete (http::ResponseStatusReader; the body is never read); `exec`
// the command spawned beside the program and its exit awaited on its pidfd.
// Each run ends by its `timeout`: a socket request carries the run's
// deadline itself (io_uring: a linked timeout) and fails with -ETIMEDOUT; an
// exec run is bounded by the supervisor's timer, which abandons the probe:
// the command's process group is killed and the probe kept until its exit
// has come back. A stop abandons a socket run too (its request cancelled).
#pragma once

#include <signal.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>

#include "superv/config/processes.hpp"
#include "superv/core/effects.hpp"
#include "superv/core/health/health_state.hpp"
#include "superv/http/response_status.hpp"
#include "superv/sys/fd.hpp"
#include "superv/sys/tcp_connect.hpp"

namespace superv::core::health {

class HealthProbe {
  public:
    enum class Outcome { Pending, Done };

    HealthProbe(const config::HealthCheck& check, loop::Clock::time_point started);

    // The first step. `check_spec` (exec): the command as a process spec
    // (see check_spec()); `io` tags the probe's first socket request,
    // `exit_tag` the command's exit.
    Outcome start(Effects& effects, const config::ProcessSpec& check_spec, loop::Tag io,
                  loop::Tag exit_tag);
    // The completion of the socket request tagged pending_io(); `next` tags
    // the one that may follow it.
    Outcome on_io(Effects& effects, int result, loop::Tag next);
    // The command's exit has completed (result: the wait's).
    Outcome on_exit(Effects& effects, int result);
    // Ends the run early (the exec timeout, a stop): cancels what is in
    // flight (the socket request, or the command: SIGKILL to its process
    // group) and fails the run with `why`.
    void abandon(Effects& effects, std::string why);

    std::optional<loop::Tag> pending_io() const { return pending_io_; }
    std::optional<loop::Tag> pending_exit() const { return pending_exit_; }
    bool in_flight() const { return pending_io_ || pending_exit_; }
    // exec: the command's pid while it runs (0: none).
    pid_t check_pid() const { return pending_exit_ ? check_pid_ : 0; }
    // Once Done (or abandoned): the result.
    const CheckResult& result() const { return result_; }

  private:
    Outcome connected(Effects& effects, loop::Tag next);
    Outcome read_more(Effects& effects, loop::Tag next);
    Outcome write_more(Effects& effects, loop::Tag next);
    Outcome done(bool passed, std::string detail, Effects& effects);
    // A socket request failed with `result` (-errno): "connect: Connection
    // refused", or the timeout's text at -ETIMEDOUT.
    Outcome failed(const char* call, int result, Effects& effects);
    loop::Clock::time_point deadline() const;

    config::HealthCheck check_;
    loop::Clock::time_point started_;
    enum class Phase { Connecting, Writing, Reading, Running, Finished } phase_ = Phase::Connecting;
    sys::TcpAddress address_;  // the connect request reads it: the probe must not move
    sys::Fd socket_;
    std::string request_;
    std::size_t written_ = 0;
    std::array<std::byte, 2048> buffer_{};
    http::ResponseStatusReader reader_;
    pid_t check_pid_ = 0;
    siginfo_t exit_info_{};  // the exit wait writes here: the probe must not move
    std::optional<loop::Tag> pending_io_;
    std::optional<loop::Tag> pending_exit_;
    CheckResult result_;
};

// "timed out after 2s": the reason of a run that reached its timeout.
std::string timed_out_text(const config::HealthCheck& check);

// The process spec an exec check runs as: `spec`'s program with the check's
// command and no output, stdin or readiness of its own.
config::ProcessSpec check_spec(const config::ProcessSpec& spec);

}  // namespace superv::core::health

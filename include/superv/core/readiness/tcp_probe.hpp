// ready = { tcp = PORT } / { tcp = "HOST:PORT" }: a connect that succeeds
// makes the program ready. Each attempt is a connect request on the loop
// (Backend::connect); a failed one is retried after a
// short, growing pause (a timer on the loop), until one succeeds or the
// ready_timeout, which the supervisor's own timer enforces, ends the start.
// The host is an address (config/ready_value.cpp takes "localhost" as
// 127.0.0.1 and refuses names), since a name lookup would block the loop.
// The connection is closed as soon as it is made.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "superv/common/result.hpp"
#include "superv/loop/backend.hpp"
#include "superv/sys/fd.hpp"
#include "superv/sys/tcp_connect.hpp"

namespace superv::core::readiness {

using std::chrono::milliseconds;

// The pure part: when to try again. Pauses double from `first` up to
// `longest` (10, 20, 40, ... 320, 500, 500 ms by default): a program that
// listens within a few milliseconds is seen within a few more, and a slow
// one costs two wake-ups a second. No attempt is scheduled at or past the
// deadline (start + ready_timeout; none for a timeout of 0).
class ConnectBackoff {
  public:
    static constexpr milliseconds kFirst{10};
    static constexpr milliseconds kLongest{500};

    ConnectBackoff(loop::Clock::time_point start, milliseconds ready_timeout,
                   milliseconds first = kFirst, milliseconds longest = kLongest);

    // After an attempt failed at `now`: when to make the next, or nullopt
    // when that would be too late.
    std::optional<loop::Clock::time_point> next_attempt(loop::Clock::time_point now);

  private:
    std::optional<loop::Clock::time_point> deadline_;
    milliseconds next_;
    milliseconds longest_;
};

class TcpProbe {
  public:
    TcpProbe(std::string host, int port, ConnectBackoff backoff);

    // What the caller does next.
    enum class Step {
        WaitConnect,  // Backend::connect(tag, fd(), address()), then on_connect(its result)
        WaitRetry,    // Backend::timer(tag, retry_at()), then attempt() when it fires
        Ready,        // connected: ready
        GaveUp,       // no attempt fits before the deadline: the ready timeout will fire
    };

    // Starts an attempt: at the spawn, and when the retry timer fires.
    Step attempt(loop::Clock::time_point now);
    // The connect completion's result (0, or -errno).
    Step on_connect(int result, loop::Clock::time_point now);

    int fd() const { return socket_.get(); }
    // The connect request reads it until its completion: the probe must not move.
    const sys::TcpAddress& address() const { return address_; }
    loop::Clock::time_point retry_at() const { return retry_at_; }
    // Why the latest attempt failed ("connect: Connection refused"), for the
    // message of a ready timeout.
    const SysError& last_error() const { return last_error_; }
    std::uint32_t attempts() const { return attempts_; }

  private:
    Step failed(const SysError& error, loop::Clock::time_point now);

    std::string host_;
    int port_;
    ConnectBackoff backoff_;
    sys::TcpAddress address_;
    sys::Fd socket_;
    loop::Clock::time_point retry_at_{};
    SysError last_error_{};
    std::uint32_t attempts_ = 0;
};

}  // namespace superv::core::readiness

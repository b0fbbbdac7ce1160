#include "superv/core/readiness/tcp_probe.hpp"

#include <algorithm>

#include "superv/sys/tcp_connect.hpp"

namespace superv::core::readiness {

ConnectBackoff::ConnectBackoff(loop::Clock::time_point start, milliseconds ready_timeout,
                               milliseconds first, milliseconds longest)
    : next_(first), longest_(longest) {
    if (ready_timeout.count() > 0) deadline_ = start + ready_timeout;
}

std::optional<loop::Clock::time_point> ConnectBackoff::next_attempt(loop::Clock::time_point now) {
    const loop::Clock::time_point at = now + next_;
    next_ = std::min(next_ * 2, longest_);
    if (deadline_ && at >= *deadline_) return std::nullopt;
    return at;
}

TcpProbe::TcpProbe(std::string host, int port, ConnectBackoff backoff)
    : host_(std::move(host)), port_(port), backoff_(backoff) {}

TcpProbe::Step TcpProbe::attempt(loop::Clock::time_point now) {
    ++attempts_;
    auto started = sys::start_tcp_connect(host_, port_);
    if (!started) return failed(started.error(), now);
    if (started->connected) {
        socket_.reset();
        return Step::Ready;
    }
    socket_ = std::move(started->fd);
    return Step::WaitWritable;
}

TcpProbe::Step TcpProbe::on_writable(int result, loop::Clock::time_point now) {
    if (result < 0) return failed(SysError{"poll", -result}, now);
    const auto finished = sys::finish_tcp_connect(socket_.get());
    socket_.reset();  // made or not, the connection has served its purpose
    if (!finished) return failed(finished.error(), now);
    return Step::Ready;
}

TcpProbe::Step TcpProbe::failed(const SysError& error, loop::Clock::time_point now) {
    socket_.reset();
    last_error_ = error;
    const auto next = backoff_.next_attempt(now);
    if (!next) return Step::GaveUp;
    retry_at_ = *next;
    return Step::WaitRetry;
}

}  // namespace superv::core::readiness

#include "superv/core/readiness/tcp_probe.hpp"

#include <algorithm>

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
    auto address = sys::tcp_address(host_, port_);
    if (!address) return failed(address.error(), now);
    address_ = *address;
    auto socket = sys::tcp_socket(address_);
    if (!socket) return failed(socket.error(), now);
    socket_ = std::move(*socket);
    return Step::WaitConnect;
}

TcpProbe::Step TcpProbe::on_connect(int result, loop::Clock::time_point now) {
    socket_.reset();  // made or not, the connection has served its purpose
    if (result < 0) return failed(SysError{"connect", -result}, now);
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

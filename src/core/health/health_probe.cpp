#include "superv/core/health/health_probe.hpp"

#include <cerrno>
#include <cstring>

#include "superv/common/signal_names.hpp"
#include "superv/core/timeout_text.hpp"
#include "superv/sys/tcp_connect.hpp"

namespace superv::core::health {

namespace {
using Kind = config::HealthCheck::Kind;

std::string http_request(const config::HealthCheck& check) {
    return "GET " + check.path + " HTTP/1.1\r\nHost: " + check.host_header +
           "\r\nUser-Agent: superv/" SUPERV_VERSION "\r\nAccept: */*\r\nConnection: close\r\n\r\n";
}
}  // namespace

HealthProbe::HealthProbe(const config::HealthCheck& check, loop::Clock::time_point started)
    : check_(check), started_(started) {}

HealthProbe::Outcome HealthProbe::start(Effects& effects, const config::ProcessSpec& check_spec,
                                        loop::Tag io, loop::Tag exit_tag) {
    if (check_.kind == Kind::Exec) {
        phase_ = Phase::Running;
        auto child = effects.spawn_check(check_spec, exit_tag, &exit_info_);
        if (auto* failure = std::get_if<SpawnFailure>(&child)) {
            return done(false, failure->reason, effects);
        }
        check_pid_ = std::get<pid_t>(child);
        pending_exit_ = exit_tag;
        return Outcome::Pending;
    }
    auto address = sys::tcp_address(check_.host, check_.port);
    if (!address) return done(false, address.error().message(), effects);
    address_ = *address;
    auto socket = sys::tcp_socket(address_);
    if (!socket) return done(false, socket.error().message(), effects);
    socket_ = std::move(*socket);
    pending_io_ = io;
    effects.connect(io, socket_.get(), address_.get(), address_.length, deadline());
    return Outcome::Pending;
}

HealthProbe::Outcome HealthProbe::on_io(Effects& effects, int result, loop::Tag next) {
    pending_io_.reset();
    switch (phase_) {
        case Phase::Connecting:
            if (result < 0) return failed("connect", result, effects);
            return connected(effects, next);
        case Phase::Writing:
            if (result < 0) return failed("send", result, effects);
            written_ += static_cast<std::size_t>(result);
            return write_more(effects, next);
        case Phase::Reading: {
            if (result < 0) return failed("recv", result, effects);
            const auto r = result == 0
                               ? reader_.finish()
                               : reader_.feed({reinterpret_cast<const char*>(buffer_.data()),
                                               static_cast<std::size_t>(result)});
            if (r.kind == http::ResponseStatusReader::Result::Error) {
                return done(false, r.reason, effects);
            }
            if (r.kind == http::ResponseStatusReader::Result::Status) {
                const bool passed = r.status >= 200 && r.status < 400;
                return done(passed, "HTTP " + std::to_string(r.status), effects);
            }
            return read_more(effects, next);
        }
        case Phase::Running:
        case Phase::Finished:
            break;
    }
    return Outcome::Done;
}

HealthProbe::Outcome HealthProbe::connected(Effects& effects, loop::Tag next) {
    if (check_.kind == Kind::Tcp) return done(true, "connected", effects);
    phase_ = Phase::Writing;
    request_ = http_request(check_);
    return write_more(effects, next);
}

HealthProbe::Outcome HealthProbe::write_more(Effects& effects, loop::Tag next) {
    if (written_ >= request_.size()) {
        phase_ = Phase::Reading;
        return read_more(effects, next);
    }
    pending_io_ = next;
    const std::string_view rest = std::string_view(request_).substr(written_);
    effects.send(next, socket_.get(),
                 {reinterpret_cast<const std::byte*>(rest.data()), rest.size()}, deadline());
    return Outcome::Pending;
}

HealthProbe::Outcome HealthProbe::read_more(Effects& effects, loop::Tag next) {
    pending_io_ = next;
    effects.recv(next, socket_.get(), buffer_, deadline());
    return Outcome::Pending;
}

HealthProbe::Outcome HealthProbe::on_exit(Effects& effects, int result) {
    if (pending_exit_) effects.check_reaped(*pending_exit_);
    pending_exit_.reset();
    if (phase_ == Phase::Finished) return Outcome::Done;  // abandoned: its result stands
    if (result < 0) return done(false, SysError{"waitid", -result}.message(), effects);
    if (exit_info_.si_code == CLD_EXITED) {
        const int code = exit_info_.si_status;
        return done(code == 0, "exit status " + std::to_string(code), effects);
    }
    return done(false, "terminated by SIG" + signal_name(exit_info_.si_status), effects);
}

loop::Clock::time_point HealthProbe::deadline() const {
    return started_ + check_.timeout;
}

HealthProbe::Outcome HealthProbe::failed(const char* call, int result, Effects& effects) {
    // The request's deadline: the run's timeout, as an exec check's.
    if (result == -ETIMEDOUT) return done(false, timed_out_text(check_), effects);
    return done(false, SysError{call, -result}.message(), effects);
}

void HealthProbe::abandon(Effects& effects, std::string why) {
    if (phase_ == Phase::Finished) return;
    if (pending_io_) effects.cancel(*pending_io_);
    if (pending_exit_) effects.kill_check(*pending_exit_);
    done(false, std::move(why), effects);
}

HealthProbe::Outcome HealthProbe::done(bool passed, std::string detail, Effects& effects) {
    phase_ = Phase::Finished;
    // Closed now unless a request still uses the socket (it is then
    // cancelled, and the fd closes with the probe once that completed).
    if (!pending_io_) socket_.reset();
    result_.passed = passed;
    result_.detail = std::move(detail);
    result_.latency =
        std::chrono::duration_cast<std::chrono::microseconds>(effects.now() - started_);
    return Outcome::Done;
}

std::string timed_out_text(const config::HealthCheck& check) {
    return "timed out after " + timeout_text(check.timeout);
}

config::ProcessSpec check_spec(const config::ProcessSpec& spec) {
    auto program = std::make_shared<config::ProgramConfig>(*spec.program);
    program->command = program->healthcheck.command;
    program->stdout_log.target.kind = config::LogTarget::Kind::None;
    program->stderr_log.target.kind = config::LogTarget::Kind::None;
    program->redirect_stderr = false;
    program->stdin_pipe = false;
    program->inherit_stdin = false;
    program->ready = {};
    config::ProcessSpec checked = spec;
    checked.program = std::move(program);
    return checked;
}

}  // namespace superv::core::health

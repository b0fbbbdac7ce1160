#include "process_info.hpp"

#include <pwd.h>

#include <chrono>
#include <climits>
#include <cstdio>

namespace superv::daemon::rpc {

namespace {

std::time_t unix_time(std::chrono::system_clock::time_point t) {
    return std::chrono::system_clock::to_time_t(t);
}

// XML-RPC ints are 32-bit for Python's client beyond which supervisord
// saturates them (capped_int).
std::int64_t capped(std::int64_t v) {
    return std::clamp<std::int64_t>(v, INT32_MIN, INT32_MAX);
}

// supervisord's exitstatus: reset to None (0) by every spawn and by a start
// that failed; the exit code of the last exit otherwise, -1 when a signal
// ended it (decode_wait_status).
int exit_status(const core::Process& p) {
    using core::State;
    if (p.state() != State::Stopped && p.state() != State::Exited) return 0;
    if (!p.last_exit) return 0;
    return p.last_exit->killed ? -1 : p.last_exit->code;
}

}  // namespace

int state_code(core::State state) {
    using core::State;
    switch (state) {
        case State::Stopped:
            return 0;
        case State::Starting:
            return 10;
        case State::Running:
            return 20;
        case State::Backoff:
            return 30;
        case State::Stopping:
            return 40;
        case State::Exited:
            return 100;
        case State::Fatal:
            return 200;
        case State::Unknown:
            return 1000;
    }
    return 1000;
}

std::string python_timedelta(long long s) {
    if (s < 0) s = 0;
    const long long days = s / 86400;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", (s % 86400) / 3600, (s / 60) % 60, s % 60);
    if (days == 0) return buf;
    return std::to_string(days) + (days == 1 ? " day, " : " days, ") + buf;
}

std::string description(const core::Process& p, std::time_t now) {
    using core::State;
    switch (p.state()) {
        case State::Running:
            return "pid " + std::to_string(p.pid()) + ", uptime " +
                   python_timedelta(static_cast<long long>(now - unix_time(p.last_start)));
        case State::Fatal:
        case State::Backoff:
            if (!p.spawn_error.empty()) return p.spawn_error;
            return "unknown error (try \"tail " + p.spec.name + "\")";
        case State::Stopped:
        case State::Exited: {
            if (p.last_start == std::chrono::system_clock::time_point{}) return "Not started";
            const std::time_t stop = unix_time(p.last_stop);
            std::tm local{};
            ::localtime_r(&stop, &local);
            char buf[64];
            std::strftime(buf, sizeof buf, "%b %d %I:%M %p", &local);
            return buf;
        }
        default:
            return "";
    }
}

std::string log_path(const config::ProgramConfig& program, int stream) {
    const config::LogTarget& target =
        stream == 0 ? program.stdout_log.target : program.stderr_log.target;
    switch (target.kind) {
        case config::LogTarget::Kind::File:
            return target.path;
        case config::LogTarget::Kind::Inherit:
            return stream == 0 ? "/dev/stdout" : "/dev/stderr";
        case config::LogTarget::Kind::None:
            break;
    }
    return "";
}

std::optional<int> user_id(const config::ProgramConfig& program) {
    if (program.user.empty()) return std::nullopt;
    const passwd* pw = ::getpwnam(program.user.c_str());
    if (pw == nullptr) return std::nullopt;
    return static_cast<int>(pw->pw_uid);
}

Value process_info(const core::Process& p, std::time_t now) {
    const std::time_t zero = 0;
    const auto when = [&](std::chrono::system_clock::time_point t) -> std::int64_t {
        return t == std::chrono::system_clock::time_point{} ? zero : capped(unix_time(t));
    };
    const std::string out = log_path(*p.spec.program, 0);
    return Struct{
        {"name", p.spec.name},
        {"group", p.spec.group},
        {"start", when(p.last_start)},
        {"stop", when(p.last_stop)},
        {"now", capped(now)},
        {"state", state_code(p.state())},
        {"statename", std::string(core::state_name(p.state()))},
        {"spawnerr", p.spawn_error},
        {"exitstatus", exit_status(p)},
        {"logfile", out},  // supervisord's alias of stdout_logfile
        {"stdout_logfile", out},
        {"stderr_logfile", log_path(*p.spec.program, 1)},
        {"pid", p.pid()},
        {"description", description(p, now)},
    };
}

}  // namespace superv::daemon::rpc

#include "fake_effects.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "superv/common/signal_names.hpp"

namespace superv::core::test {

loop::Completion FakeEffects::exited(Live& live, ExitStatus status) {
    live.exited = true;
    *live.info = siginfo_t{};
    live.info->si_pid = live.pid;
    live.info->si_code = status.killed ? CLD_KILLED : CLD_EXITED;
    live.info->si_status = status.code;
    return loop::Completion{live.exit_tag, 0};
}

std::optional<SpawnFailure> FakeEffects::take_failure(const std::string& key) {
    auto it = failing_.find(key);
    if (it == failing_.end() || it->second.times == 0) return std::nullopt;
    if (it->second.times > 0) --it->second.times;
    return it->second.failure;
}

void FakeEffects::fail_spawn(const std::string& name, SpawnFailure failure, int times) {
    failing_[name] = Failing{std::move(failure), times};
}

std::variant<pid_t, SpawnFailure> FakeEffects::spawn(ProcessId id, const config::ProcessSpec& spec,
                                                     const SpawnExtras&, loop::Tag exit_tag,
                                                     siginfo_t* exit_info) {
    calls.push_back("spawn " + spec.name);
    names_[id.slot] = spec.name;
    if (auto failure = take_failure(spec.name)) return *failure;
    EXPECT_EQ(live_.count(id.slot), 0u) << spec.name << " spawned while its last one lives";
    const pid_t pid = next_pid_++;
    live_[id.slot] = Live{spec.name, pid, exit_tag, exit_info, false};
    return pid;
}

std::variant<pid_t, SpawnFailure> FakeEffects::spawn_check(const config::ProcessSpec& spec,
                                                           loop::Tag exit_tag,
                                                           siginfo_t* exit_info) {
    calls.push_back("check " + spec.name);
    if (auto failure = take_failure("check " + spec.name)) return *failure;
    const pid_t pid = next_pid_++;
    checks_[exit_tag.raw()] = Live{spec.name, pid, exit_tag, exit_info, false};
    return pid;
}

void FakeEffects::kill_check(loop::Tag exit_tag) {
    auto it = checks_.find(exit_tag.raw());
    if (it != checks_.end()) calls.push_back("kill check " + it->second.name);
}

void FakeEffects::check_reaped(loop::Tag exit_tag) {
    checks_.erase(exit_tag.raw());
}

bool FakeEffects::check_running(const std::string& name) const {
    return std::any_of(checks_.begin(), checks_.end(), [&](const auto& entry) {
        return entry.second.name == name && !entry.second.exited;
    });
}

loop::Completion FakeEffects::check_exit(const std::string& name, ExitStatus status) {
    auto it = std::find_if(checks_.begin(), checks_.end(), [&](const auto& entry) {
        return entry.second.name == name && !entry.second.exited;
    });
    if (it == checks_.end()) {
        ADD_FAILURE() << name << " has no running health check";
        return {};
    }
    return exited(it->second, status);
}

void FakeEffects::reaped(ProcessId id) {
    live_.erase(id.slot);
}

const FakeEffects::Live* FakeEffects::find(const std::string& name) const {
    for (const auto& [slot, live] : live_) {
        if (live.name == name && !live.exited) return &live;
    }
    return nullptr;
}

std::string FakeEffects::name_of(std::uint32_t slot) const {
    auto it = names_.find(slot);
    return it == names_.end() ? "slot" + std::to_string(slot) : it->second;
}

bool FakeEffects::is_live(const std::string& name) const {
    return find(name) != nullptr;
}

pid_t FakeEffects::pid_of(const std::string& name) const {
    const Live* live = find(name);
    return live == nullptr ? 0 : live->pid;
}

loop::Completion FakeEffects::exit(const std::string& name, ExitStatus status) {
    auto it = std::find_if(live_.begin(), live_.end(), [&](const auto& entry) {
        return entry.second.name == name && !entry.second.exited;
    });
    if (it == live_.end()) {
        ADD_FAILURE() << name << " has no live process to exit";
        return {};
    }
    return exited(it->second, status);
}

Result<void> FakeEffects::signal(ProcessId id, int sig, bool to_group) {
    calls.push_back("signal " + name_of(id.slot) + " " + signal_name(sig) +
                    (to_group ? " group" : ""));
    auto it = live_.find(id.slot);
    if (it == live_.end() || it->second.exited) return SysError{"pidfd_send_signal", ESRCH};
    return Ok{};
}

void FakeEffects::timer(loop::Tag tag, loop::Clock::time_point deadline) {
    calls.push_back("timer " + name_of(tag.slot) + " " +
                    std::to_string(std::chrono::duration_cast<Millis>(deadline - now_).count()));
    timers_.emplace_back(tag, deadline);
}

void FakeEffects::poll_readable(loop::Tag tag, int) {
    calls.push_back("poll " + name_of(tag.slot));
}

void FakeEffects::read(loop::Tag tag, int, std::span<std::byte> buffer) {
    calls.push_back("read " + name_of(tag.slot));
    reads_[tag.slot] = {tag, buffer};
}

loop::Completion FakeEffects::complete_read(const std::string& name, const std::string& bytes) {
    for (auto it = reads_.begin(); it != reads_.end(); ++it) {
        if (name_of(it->first) != name) continue;
        auto [tag, buffer] = it->second;
        reads_.erase(it);
        const std::size_t n = std::min(bytes.size(), buffer.size());
        std::memcpy(buffer.data(), bytes.data(), n);
        return loop::Completion{tag, static_cast<int>(n)};
    }
    ADD_FAILURE() << name << " has no pending read";
    return {};
}

void FakeEffects::write(loop::Tag tag, int, std::span<const std::byte> bytes) {
    calls.push_back("write " + name_of(tag.slot) + " " + std::to_string(bytes.size()));
}

namespace {
std::string in_ms(loop::Clock::time_point deadline, loop::Clock::time_point now) {
    return std::to_string(std::chrono::duration_cast<Millis>(deadline - now).count());
}
}  // namespace

void FakeEffects::connect(loop::Tag tag, int, const sockaddr*, socklen_t,
                          std::optional<loop::Clock::time_point> deadline) {
    calls.push_back("connect " + name_of(tag.slot) + " " +
                    (deadline ? in_ms(*deadline, now_) : "none"));
    sockets_[tag.slot] = {tag, {}};
}

void FakeEffects::send(loop::Tag tag, int, std::span<const std::byte> bytes,
                       loop::Clock::time_point deadline) {
    calls.push_back("send " + name_of(tag.slot) + " " + std::to_string(bytes.size()) + " " +
                    in_ms(deadline, now_));
    sockets_[tag.slot] = {tag, {}};
}

void FakeEffects::recv(loop::Tag tag, int, std::span<std::byte> buffer,
                       loop::Clock::time_point deadline) {
    calls.push_back("recv " + name_of(tag.slot) + " " + in_ms(deadline, now_));
    sockets_[tag.slot] = {tag, buffer};
}

bool FakeEffects::socket_pending(const std::string& name) const {
    return std::any_of(sockets_.begin(), sockets_.end(),
                       [&](const auto& entry) { return name_of(entry.first) == name; });
}

loop::Completion FakeEffects::complete_socket(const std::string& name, int result,
                                              const std::string& bytes) {
    for (auto it = sockets_.begin(); it != sockets_.end(); ++it) {
        if (name_of(it->first) != name) continue;
        auto [tag, buffer] = it->second;
        sockets_.erase(it);
        if (!bytes.empty()) {
            const std::size_t n = std::min(bytes.size(), buffer.size());
            std::memcpy(buffer.data(), bytes.data(), n);
            result = static_cast<int>(n);
        }
        return loop::Completion{tag, result};
    }
    ADD_FAILURE() << name << " has no pending socket request";
    return {};
}

void FakeEffects::cancel(loop::Tag tag) {
    for (auto* requests : {&reads_, &sockets_}) {
        for (auto it = requests->begin(); it != requests->end(); ++it) {
            if (it->second.first != tag) continue;
            calls.push_back("cancel " + name_of(tag.slot));
            requests->erase(it);
            cancelled_.push_back(loop::Completion{tag, -ECANCELED});
            return;
        }
    }
    auto it = std::find_if(timers_.begin(), timers_.end(),
                           [&](const auto& timer) { return timer.first == tag; });
    if (it == timers_.end()) return;
    calls.push_back("cancel " + name_of(tag.slot));
    timers_.erase(it);
    cancelled_.push_back(loop::Completion{tag, -ECANCELED});
}

std::vector<loop::Completion> FakeEffects::advance(Millis by) {
    now_ += by;
    std::stable_sort(timers_.begin(), timers_.end(),
                     [](const auto& a, const auto& b) { return a.second < b.second; });
    std::vector<loop::Completion> due;
    while (!timers_.empty() && timers_.front().second <= now_) {
        due.push_back(loop::Completion{timers_.front().first, 0});
        timers_.erase(timers_.begin());
    }
    return due;
}

}  // namespace superv::core::test

#include "superv/core/system_effects.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>

#include "superv/core/launch.hpp"

namespace superv::core {

namespace {
std::variant<sys::ProcessHandle, SpawnFailure> start(const config::ProcessSpec& spec,
                                                     const SpawnExtras& io) {
    auto prepared = prepare_launch(spec, io);
    if (auto* err = std::get_if<LaunchError>(&prepared)) return SpawnFailure{err->message, 0};
    auto child = sys::spawn(std::get<Launch>(prepared).request);
    if (!child) {
        const SysError& e = child.error();
        // "execve /usr/bin/foo: No such file or directory"
        std::string what = e.call;
        if (what == "execve") what += " " + spec.program->command.front();
        if (what == "chdir") what += " " + spec.program->directory;
        return SpawnFailure{what + ": " + std::strerror(e.err), e.err};
    }
    return std::move(child.value());
}
}  // namespace

std::variant<pid_t, SpawnFailure> SystemEffects::spawn(ProcessId id,
                                                       const config::ProcessSpec& spec,
                                                       const SpawnExtras& io, loop::Tag exit_tag,
                                                       siginfo_t* exit_info) {
    auto child = start(spec, io);
    if (auto* failure = std::get_if<SpawnFailure>(&child)) return std::move(*failure);
    if (handles_.size() <= id.slot) handles_.resize(id.slot + 1);
    sys::ProcessHandle& handle = handles_[id.slot];
    handle = std::move(std::get<sys::ProcessHandle>(child));
    backend_.wait_exit(exit_tag, handle.pidfd(), exit_info);
    return handle.pid();
}

std::variant<pid_t, SpawnFailure> SystemEffects::spawn_check(const config::ProcessSpec& spec,
                                                             loop::Tag exit_tag,
                                                             siginfo_t* exit_info) {
    auto child = start(spec, {});
    if (auto* failure = std::get_if<SpawnFailure>(&child)) return std::move(*failure);
    sys::ProcessHandle& handle = checks_[exit_tag.raw()];
    handle = std::move(std::get<sys::ProcessHandle>(child));
    backend_.wait_exit(exit_tag, handle.pidfd(), exit_info);
    return handle.pid();
}

void SystemEffects::kill_check(loop::Tag exit_tag) {
    auto it = checks_.find(exit_tag.raw());
    // Before its reap, the pid is still the group's id: no other group has it.
    if (it != checks_.end()) (void)it->second.signal_group(SIGKILL);
}

void SystemEffects::check_reaped(loop::Tag exit_tag) {
    checks_.erase(exit_tag.raw());
}

sys::ProcessHandle* SystemEffects::live(ProcessId id) {
    if (id.slot >= handles_.size() || !handles_[id.slot].valid()) return nullptr;
    return &handles_[id.slot];
}

void SystemEffects::reaped(ProcessId id) {
    if (sys::ProcessHandle* handle = live(id)) *handle = sys::ProcessHandle();
}

Result<void> SystemEffects::signal(ProcessId id, int sig, bool to_group) {
    const sys::ProcessHandle* handle = live(id);
    if (handle == nullptr) return SysError{"pidfd_send_signal", ESRCH};
    return to_group ? handle->signal_group(sig) : handle->signal(sig);
}

}  // namespace superv::core

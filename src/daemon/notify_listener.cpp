#include "superv/daemon/notify_listener.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>

namespace superv::daemon {

namespace {
// Any user other than superv's own among the notify programs needs a socket
// that others may reach (their datagrams are still attributed by pid).
std::optional<sys::NotifyAccess> notify_access(const config::Config& config) {
    std::optional<sys::NotifyAccess> access;
    for (const config::ProgramConfig& program : config.programs) {
        if (program.ready.kind != config::Readiness::Kind::Notify) continue;
        if (!access) access = sys::NotifyAccess::Owner;
        if (!program.user.empty()) access = sys::NotifyAccess::AnyUser;
    }
    return access;
}
}  // namespace

std::string NotifyListener::directory_for(pid_t pid) {
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    std::string base = runtime != nullptr && runtime[0] == '/' ? runtime
                       : ::geteuid() == 0                      ? "/run"
                                                               : "/tmp";
    return base + "/superv-notify." + std::to_string(pid);
}

void NotifyListener::configure(const config::Config& config, core::Supervisor& supervisor,
                               loop::Backend& backend) {
    const auto access = notify_access(config);
    if (!access) return;
    if (inbox_ && (access_ == sys::NotifyAccess::AnyUser || *access == sys::NotifyAccess::Owner)) {
        return;
    }
    const std::string dir = directory_for(::getpid());
    if (inbox_) {
        // A program with another user arrived: the socket must open up. The
        // old one goes first (same path); its unread datagrams are lost.
        backend.cancel(loop::Tag{loop::TagKind::NotifyRead, 0, poll_gen_});
        inbox_.reset();
    }
    auto socket = sys::NotifySocket::open(dir, *access);
    if (!socket) {
        spdlog::error("notify socket in {}: {}", dir, socket.error().message());
        supervisor.set_notify_environment({});
        return;
    }
    access_ = *access;
    inbox_ = std::make_unique<core::readiness::NotifyInbox>(std::move(socket.value()));
    supervisor.set_notify_environment(
        core::readiness::notify_environment(inbox_->path(), ::getpid()));
    spdlog::debug("notify socket: {}", inbox_->path());
    poll(backend);
}

void NotifyListener::poll(loop::Backend& backend) {
    poll_gen_ = poll_gen_ + 1 == 0 ? 1 : poll_gen_ + 1;
    backend.poll_readable(loop::Tag{loop::TagKind::NotifyRead, 0, poll_gen_}, inbox_->fd());
}

void NotifyListener::on_readable(const loop::Completion& c, core::Supervisor& supervisor,
                                 loop::Backend& backend) {
    if (!inbox_ || c.tag.gen != poll_gen_ || c.result < 0) return;
    auto drained =
        inbox_->drain([&](pid_t pid) { return supervisor.is_managed(pid); },
                      [&](const core::readiness::NotifyEvent& e) { supervisor.notify(e); });
    if (!drained) spdlog::error("notify socket: {}", drained.error().message());
    const auto drops = inbox_->drops();
    const std::uint64_t total = drops.garbage + drops.unattributed + drops.refused;
    if (total != logged_drops_) {
        // Once per batch, not per datagram: a flood costs one line.
        spdlog::warn(
            "notify socket: {} message(s) dropped so far ({} garbage, {} from no "
            "supervised process, {} refused)",
            total, drops.garbage, drops.unattributed, drops.refused);
        logged_drops_ = total;
    }
    poll(backend);
}

}  // namespace superv::daemon

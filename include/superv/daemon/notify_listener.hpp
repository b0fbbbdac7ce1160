// The daemon's notify socket (sd_notify's receiving end) for programs with
// ready = "notify": opened the first time a loaded config has one, in a
// directory of this instance's own (two supervisors never share it), and
// watched on the loop for as long as superv runs. Each readiness drains a
// bounded batch of datagrams into the supervisor (Supervisor::notify).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "superv/config/config.hpp"
#include "superv/core/readiness/notify_inbox.hpp"
#include "superv/core/supervisor.hpp"
#include "superv/loop/backend.hpp"

namespace superv::daemon {

class NotifyListener {
  public:
    // Opens the socket when `config` needs one and it is not open yet, and
    // gives the supervisor the environment its programs get. Failing, it
    // logs why; the notify programs then fail to start with that reason.
    void configure(const config::Config& config, core::Supervisor& supervisor,
                   loop::Backend& backend);
    // A completion of TagKind::NotifyRead.
    void on_readable(const loop::Completion& c, core::Supervisor& supervisor,
                     loop::Backend& backend);

    // $XDG_RUNTIME_DIR (or /run as root, else /tmp) + /superv-notify.PID.
    static std::string directory_for(pid_t pid);

  private:
    void poll(loop::Backend& backend);

    std::unique_ptr<core::readiness::NotifyInbox> inbox_;
    sys::NotifyAccess access_ = sys::NotifyAccess::Owner;
    std::uint32_t poll_gen_ = 0;
    std::uint64_t logged_drops_ = 0;
};

}  // namespace superv::daemon

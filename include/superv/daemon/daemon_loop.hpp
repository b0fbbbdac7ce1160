// The daemon's state and its loop. The control server (and signals) ask it to
// reload, update or shut down; everything happens on the one loop thread.
#pragma once

#include <signal.h>
#include <sys/signalfd.h>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "superv/config/config.hpp"
#include "superv/config/diff.hpp"
#include "superv/control/connections.hpp"
#include "superv/control/http_protocol.hpp"
#include "superv/core/supervisor.hpp"
#include "superv/core/system_effects.hpp"
#include "superv/daemon/daemon.hpp"
#include "superv/daemon/notify_listener.hpp"
#include "superv/daemon/signal_plan.hpp"
#include "superv/loop/backend.hpp"
#include "superv/sys/fd.hpp"

namespace superv::daemon {

class DaemonLoop : public core::SupervisorObserver {
  public:
    DaemonLoop(Options options, std::unique_ptr<loop::Backend> backend, sys::Fd signal_fd);

    // Adds the config's processes and starts the autostart ones.
    void load(config::Config config);
    // Runs until shutdown has finished; returns the exit code.
    int run();

    // Re-reads the config; on error logs it and changes nothing. `done` gets
    // the config errors (empty on success) once everything has restarted.
    using ReloadDone = std::function<void(const std::vector<std::string>& errors)>;
    void reload(ReloadDone done);
    // Applies only the difference from the running config: added processes
    // start, removed ones stop, changed ones restart; the rest keep running.
    struct UpdateSummary {
        std::vector<std::string> added, removed, changed, unchanged;
    };
    using UpdateDone =
        std::function<void(const std::vector<std::string>& errors, const UpdateSummary& summary)>;
    void update(UpdateDone done);
    // Stops everything (reverse priority, each level concurrently) and exits.
    void shutdown(const char* why);
    bool busy() const { return reloading_ || shutting_down_; }
    bool shutting_down() const { return shutting_down_; }

    // supervisord's two-step update (reloadConfig, then addProcessGroup /
    // removeProcessGroup per group): re-reads the config and keeps it as the
    // one groups are added from, changing no process. Groups are compared
    // with the process table: new ones are added, vanished ones removed, and
    // changed the ones with any process added, removed or changed.
    struct GroupChanges {
        std::vector<std::string> added, changed, removed;
    };
    std::variant<GroupChanges, std::vector<std::string>> reread_groups();
    enum class GroupResult { Done, NoSuchGroup, AlreadyAdded, StillRunning };
    // Adds group `name` of the config last read; its autostart processes start.
    GroupResult add_group(const std::string& name);
    // Removes group `name`, whose processes must all be stopped (or exited, fatal).
    GroupResult remove_group(const std::string& name);
    // Serves the control socket at `path` from this loop.
    Result<void> listen(const std::string& path, const control::SocketAccess& access);
    // Serves the HTTP interface (XML-RPC, /logtail) on `listener`.
    Result<void> listen_http(const config::HttpListener& listener);
    // The connections of every listener (control socket, HTTP).
    control::ConnectionPool& connections() { return connections_; }

    core::Supervisor& supervisor() { return supervisor_; }
    loop::Backend& backend() { return *backend_; }
    const config::Config& config() const { return config_; }

  private:
    void on_transition(const core::Process& p, core::State from, core::State to) override;
    void arm_signal_read();
    void on_signals(int result);
    void on_signal(const signalfd_siginfo& info);
    void forward_to_main(int sig);      // to `-- CMD`'s program (or its group)
    void forward_to_everyone(int sig);  // to every running process
    core::Process* main_process();      // `-- CMD`'s program, if any
    // What shutdown_timeout kills: every process but `main`, whose grace is its own.
    std::vector<core::ProcessId> shutdown_kill_targets();
    int exec_failure_code(const core::Process& p) const;
    int exit_code() const;
    int remap_exit(int code) const;
    void reap_orphans();
    void check_critical();
    void flush_replies();
    std::vector<core::ProcessId> autostart_ids(const std::vector<core::ProcessId>& ids) const;
    void replace_processes(std::shared_ptr<config::Config> next, const config::ProcessDiff& diff,
                           ReloadDone done);
    std::optional<config::Config> reread(const std::function<void(std::vector<std::string>)>& fail);

    Options options_;
    SignalRules rules_;
    pid_t main_pgid_ = 0;  // `main`'s process group while it runs
    std::unique_ptr<loop::Backend> backend_;
    sys::Fd signal_fd_;
    std::array<signalfd_siginfo, 16> signal_buf_{};
    // Before the supervisor: its processes' `tail -f` followers end their
    // streams on these connections when the processes go, at the end too.
    control::ConnectionPool connections_;
    std::shared_ptr<control::HttpHandler> http_routes_;  // made with the first HTTP listener
    core::SystemEffects effects_;
    core::Supervisor supervisor_;
    NotifyListener notify_;
    config::Config config_;

    bool orphans_pending_ = false;
    bool reloading_ = false;
    bool shutting_down_ = false;
    bool critical_ended_ = false;  // a critical program reached EXITED or FATAL: check_critical()
    bool stopped_all_ = false;
    bool shutdown_timer_fired_ = false;
    bool ready_sent_ = false;       // READY=1 to systemd, once
    std::optional<int> exit_code_;  // set by a critical program that ended
};

}  // namespace superv::daemon

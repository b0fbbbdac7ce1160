#include "superv/daemon/daemon_loop.hpp"

#include <grp.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "superv/common/memory.hpp"
#include "superv/common/signal_names.hpp"
#include "superv/config/diff.hpp"
#include "superv/control/json_lines.hpp"
#include "superv/daemon/control_commands.hpp"
#include "superv/daemon/http_routes.hpp"
#include "superv/daemon/program_table.hpp"
#include "superv/log/logging.hpp"
#include "superv/sys/notify.hpp"
#include "superv/sys/reaper.hpp"
#include "superv/sys/signals.hpp"

namespace superv::daemon {

using core::ProcessId;
using core::State;

namespace {
void log_results(const char* what, const std::vector<core::MemberResult>& results) {
    for (const auto& r : results) {
        if (!r.ok) spdlog::warn("{}: {} failed: {}", r.name, what, r.detail);
    }
}
}  // namespace

DaemonLoop::DaemonLoop(Options options, std::unique_ptr<loop::Backend> backend, sys::Fd signal_fd)
    : options_(std::move(options)),
      backend_(std::move(backend)),
      signal_fd_(std::move(signal_fd)),
      connections_(*backend_),
      effects_(*backend_),
      supervisor_(effects_) {
    supervisor_.set_observer(this);
    rules_ = options_.signals;
    rules_.command = !options_.main_command.empty();
    rules_.config = !options_.config_path.empty();
}

std::vector<ProcessId> DaemonLoop::autostart_ids(const std::vector<ProcessId>& ids) const {
    std::vector<ProcessId> out;
    for (ProcessId id : ids) {
        const core::Process* p = supervisor_.find(id);
        if (p != nullptr && p->spec.program->autostart) out.push_back(id);
    }
    return out;
}

void DaemonLoop::load(config::Config config) {
    config_ = std::move(config);
    notify_.configure(config_, supervisor_, *backend_);
    auto ids = supervisor_.add(config::expand_processes(config_));
    supervisor_.start(autostart_ids(ids), [this](const auto& results) {
        log_results("start", results);
        return_freed_memory();
        if (ready_sent_) return;
        // systemd (Type=notify): started once the autostart programs are.
        ready_sent_ = true;
        if (auto r = sys::notify("READY=1"); !r) spdlog::warn("sd_notify: {}", r.error().message());
    });
}

std::optional<config::Config> DaemonLoop::reread(
    const std::function<void(std::vector<std::string>)>& fail) {
    if (busy()) {
        fail({shutting_down_ ? "superv is shutting down" : "a reload is already in progress"});
        return std::nullopt;
    }
    auto loaded = load_table(options_);
    if (!loaded.ok()) {
        std::vector<std::string> errors;
        for (const auto& e : loaded.errors()) {
            spdlog::error("config refused: {}", e.to_string());
            errors.push_back(e.to_string());
        }
        fail(errors);
        return std::nullopt;
    }
    const config::Config& next = loaded.config();
    for (const auto& w : next.warnings)
        spdlog::warn("{}: {}", w.pos.to_string(), w.message);
    const auto listeners = [](std::vector<config::HttpListener> http) {
        for (auto& l : http)
            l.pos = {};
        return http;
    };
    if (listeners(next.daemon.http) != listeners(config_.daemon.http) ||
        next.daemon.socket != config_.daemon.socket) {
        // The listeners are made once: moving them under connected clients
        // (supervisorctl among them) would cut them off mid-request.
        spdlog::warn(
            "the control socket and HTTP listeners changed in the config: they change "
            "when superv restarts");
    }
    return std::move(loaded.config());
}

void DaemonLoop::reload(ReloadDone done) {
    auto cfg = reread(done);
    if (!cfg) return;
    spdlog::info("reload: restarting every process from {}", options_.config_path);
    auto next = std::make_shared<config::Config>(std::move(*cfg));
    std::vector<config::ProcessSpec> running;
    for (const core::Process* p : supervisor_.processes())
        running.push_back(p->spec);
    config::ProcessDiff diff = config::diff_processes(running, config::expand_processes(*next));
    // Every process that stays is replaced, changed or not.
    for (const auto& name : diff.unchanged) {
        if (const core::Process* p = supervisor_.find(name)) diff.changed.push_back(p->spec);
    }
    diff.unchanged.clear();
    replace_processes(next, diff, std::move(done));
}

void DaemonLoop::update(UpdateDone done) {
    auto cfg = reread([&](std::vector<std::string> errors) { done(errors, {}); });
    if (!cfg) return;
    std::vector<config::ProcessSpec> running;
    for (const core::Process* p : supervisor_.processes())
        running.push_back(p->spec);
    auto next = std::make_shared<config::Config>(std::move(*cfg));
    const config::ProcessDiff diff =
        config::diff_processes(running, config::expand_processes(*next));
    UpdateSummary summary;
    for (const auto& name : diff.removed)
        summary.removed.push_back(config::display_name(name));
    for (const auto& spec : diff.changed)
        summary.changed.push_back(spec.display_name());
    for (const auto& spec : diff.added)
        summary.added.push_back(spec.display_name());
    for (const auto& name : diff.unchanged)
        summary.unchanged.push_back(config::display_name(name));
    spdlog::info("update: {} added, {} removed, {} changed, {} unchanged", summary.added.size(),
                 summary.removed.size(), summary.changed.size(), summary.unchanged.size());
    replace_processes(next, diff, [summary, done](const auto& errors) { done(errors, summary); });
}

// One planned request for a reload or an update: what is gone stops (what
// needs it first), what changed is replaced (each new instance as soon as
// its own old one is gone and its conditions hold, not when the slowest has
// stopped), what is new starts; then the config is the new one.
void DaemonLoop::replace_processes(std::shared_ptr<config::Config> next,
                                   const config::ProcessDiff& diff, ReloadDone done) {
    reloading_ = true;
    log::configure(next->daemon);
    notify_.configure(*next, supervisor_, *backend_);
    std::vector<core::Supervisor::Member> members;
    std::vector<ProcessId> leaving;
    // A program whose new spec does not autostart is stopped, and takes its
    // new spec once down.
    auto dormant = std::make_shared<std::vector<std::pair<ProcessId, config::ProcessSpec>>>();
    for (const auto& name : diff.removed) {
        if (core::Process* p = supervisor_.find(name)) {
            leaving.push_back(p->id);
            members.push_back({p->id, core::Goal::Stop});
        }
    }
    for (const auto& spec : diff.changed) {
        core::Process* p = supervisor_.find(spec.full_name());
        if (p == nullptr) continue;
        if (spec.program->autostart) {
            members.push_back({p->id, core::Goal::Replace, spec});
        } else {
            members.push_back({p->id, core::Goal::Stop});
            dormant->emplace_back(p->id, spec);
        }
    }
    for (ProcessId id : autostart_ids(supervisor_.add(diff.added)))
        members.push_back({id, core::Goal::Start});
    // The unchanged processes keep their spec; the daemon-wide settings and
    // the record of the config are the new ones.
    config_ = std::move(*next);
    supervisor_.run(std::move(members), [this, leaving, dormant, done](const auto& results) {
        log_results("restart", results);
        reloading_ = false;
        for (ProcessId id : leaving)
            supervisor_.remove(id);
        for (auto& [id, spec] : *dormant) {
            if (core::Process* p = supervisor_.find(id)) supervisor_.respec(*p, std::move(spec));
        }
        return_freed_memory();  // a SIGHUP reload has no client to do it
        done(shutting_down_ ? std::vector<std::string>{"superv is shutting down"}
                            : std::vector<std::string>{});
    });
}

void DaemonLoop::shutdown(const char* why) {
    if (shutting_down_) return;
    shutting_down_ = true;
    spdlog::info("shutting down ({}): stopping every process", why);
    if (auto r = sys::notify("STOPPING=1"); !r) spdlog::warn("sd_notify: {}", r.error().message());
    // `main`'s grace is its own (unlimited unless set): shutdown_timeout is
    // the configured programs'.
    if (!shutdown_kill_targets().empty()) {
        backend_->timer(loop::Tag{loop::TagKind::DaemonTimer, 0, 1},
                        loop::Clock::now() + config_.daemon.shutdown_timeout);
    }
    supervisor_.stop(supervisor_.all(), [this](const auto& results) {
        log_results("stop", results);
        stopped_all_ = true;
    });
}

std::vector<ProcessId> DaemonLoop::shutdown_kill_targets() {
    std::vector<ProcessId> ids = supervisor_.all();
    if (const core::Process* main = main_process()) {
        std::erase(ids, main->id);
    }
    return ids;
}

int DaemonLoop::exec_failure_code(const core::Process& p) const {
    if (p.spec.program->name == "main" && options_.exec_failure_code) {
        return *options_.exec_failure_code;
    }
    // As a shell: 126 found but not executable, 127 not found (or never ran).
    return p.spawn_errno == EACCES ? 126 : 127;
}

void DaemonLoop::on_transition(const core::Process& p, State from, State to) {
    if (p.spec.program->critical && (to == State::Exited || to == State::Fatal)) {
        critical_ended_ = true;
    }
    if (!options_.main_command.empty() && p.spec.program->name == "main" &&
        p.spec.group == "main") {
        if (to == State::Running) main_pgid_ = p.pid();
        const bool ended = to == State::Exited || to == State::Stopped;
        if (ended && main_pgid_ != 0 && options_.term_group_at_exit) {
            // dumb-init: what the program left in its process group goes with it.
            if (auto r = sys::signal_process_group(main_pgid_, SIGTERM); !r) {
                spdlog::warn("main: SIGTERM to its process group: {}", r.error().message());
            }
        }
        if (ended) main_pgid_ = 0;
    }
    const auto from_name = core::state_name(from);
    const auto to_name = core::state_name(to);
    if (to == State::Running) {
        spdlog::info("{}: {} -> {} (pid {})", p.display_name(), from_name, to_name, p.pid());
    } else if (p.reason.empty()) {
        spdlog::info("{}: {} -> {}", p.display_name(), from_name, to_name);
    } else {
        spdlog::info("{}: {} -> {} ({})", p.display_name(), from_name, to_name, p.reason);
    }
}

void DaemonLoop::arm_signal_read() {
    backend_->read(loop::Tag{loop::TagKind::Signal, 0, 0}, signal_fd_.get(),
                   std::as_writable_bytes(std::span(signal_buf_)));
}

void DaemonLoop::on_signals(int result) {
    if (result < 0 && result != -EAGAIN && result != -EINTR) {
        spdlog::critical("signalfd read: {}", std::strerror(-result));
    }
    for (int i = 0; result > 0 && i < result / int(sizeof(signalfd_siginfo)); ++i) {
        on_signal(signal_buf_[static_cast<std::size_t>(i)]);
    }
    arm_signal_read();
}

void DaemonLoop::on_signal(const signalfd_siginfo& info) {
    const int sig = static_cast<int>(info.ssi_signo);
    // SIGPIPE of a write to a hung-up client, SIGXFSZ: superv's own doing.
    const bool from_self =
        info.ssi_code == SI_USER && static_cast<pid_t>(info.ssi_pid) == ::getpid();
    const SignalPlan plan = plan_signal(rules_, sig, from_self, shutting_down_);
    if (plan.reap) orphans_pending_ = true;
    if (plan.escalate) {
        spdlog::warn("SIG{} during shutdown: sending SIGKILL to every process", signal_name(sig));
        supervisor_.kill_all();
    }
    if (plan.forward != 0) {
        if (plan.to_everyone) {
            forward_to_everyone(plan.forward);
        } else {
            forward_to_main(plan.forward);
        }
    }
    if (plan.shutdown) {
        // The program has its signal already: its stop only waits (its grace).
        if (core::Process* main = main_process(); main != nullptr && plan.forward != 0) {
            main->next_stop_signal = 0;
        }
        shutdown(sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : "SIGQUIT");
    }
    if (plan.reload) reload([](const auto&) {});
    if (plan.reopen_logs) {
        spdlog::info("SIGUSR2: reopening log files");
        if (auto r = log::reopen(); !r) {
            spdlog::error("log file {}: reopen: {}", log::file_path(), r.error().message());
        }
        supervisor_.reopen_logs();
    }
    if (plan.stop_self) {
        spdlog::debug("SIG{}: stopping superv with its program", signal_name(sig));
        sys::stop_self();
    }
    if (!plan.reap && plan.forward == 0 && !plan.shutdown && !plan.escalate && !plan.reload &&
        !plan.reopen_logs) {
        spdlog::debug("ignoring SIG{}", signal_name(sig));
    }
}

core::Process* DaemonLoop::main_process() {
    if (options_.main_command.empty()) return nullptr;
    return supervisor_.find(std::string("main"));
}

void DaemonLoop::forward_to_main(int sig) {
    core::Process* main = main_process();
    if (main == nullptr || main->pid() == 0) {
        spdlog::warn("main: not running, SIG{} not forwarded", signal_name(sig));
        return;
    }
    spdlog::debug("forwarding SIG{} to main{}", signal_name(sig),
                  options_.signal_group ? "'s process group" : "");
    for (const auto& r : supervisor_.signal({main->id}, sig, options_.signal_group)) {
        if (!r.ok) spdlog::warn("{}: forwarding SIG{}: {}", r.name, signal_name(sig), r.detail);
    }
}

void DaemonLoop::forward_to_everyone(int sig) {
    std::vector<ProcessId> live;
    for (const core::Process* p : supervisor_.processes()) {
        if (p->pid() != 0) live.push_back(p->id);
    }
    spdlog::debug("forwarding SIG{} to {} processes", signal_name(sig), live.size());
    for (const auto& r : supervisor_.signal(live, sig)) {
        if (!r.ok) spdlog::warn("{}: forwarding SIG{}: {}", r.name, signal_name(sig), r.detail);
    }
}

void DaemonLoop::reap_orphans() {
    auto outcome = sys::reap_orphans([this](pid_t pid) { return supervisor_.is_managed(pid); },
                                     [this](pid_t pid, int) {
                                         // tini -w: a warning per zombie reaped.
                                         if (options_.warn_on_reap) {
                                             spdlog::warn("reaped zombie process with pid={}", pid);
                                         } else {
                                             spdlog::debug("reaped orphan pid {}", pid);
                                         }
                                     });
    // A managed zombie first in line: try again once its own exit completion
    // (already on its way) has been handled.
    orphans_pending_ = outcome.blocked_by_managed;
}

void DaemonLoop::check_critical() {
    // Only after a critical program ended: not a scan of the table per round.
    if (!critical_ended_ || shutting_down_ || reloading_) return;
    critical_ended_ = false;
    for (const core::Process* p : supervisor_.processes()) {
        if (!p->spec.program->critical) continue;
        if (p->state() != State::Exited && p->state() != State::Fatal) continue;
        exit_code_ = p->last_exit ? p->last_exit->shell_code() : exec_failure_code(*p);
        spdlog::info("{}: critical program ended ({}), exit code {}", p->display_name(), p->reason,
                     *exit_code_);
        shutdown("critical program ended");
        return;
    }
}

Result<void> DaemonLoop::listen(const std::string& path, const control::SocketAccess& access) {
    auto protocol = std::make_shared<control::JsonLinesProtocol>(
        [this](const control::Request& request, const control::Responder& out) {
            handle_request(*this, request, out);
        });
    return connections_.listen_unix(path, access, std::move(protocol));
}

Result<void> DaemonLoop::listen_http(const config::HttpListener& listener) {
    if (!http_routes_) http_routes_ = std::make_shared<HttpRoutes>(*this);
    auto protocol = std::make_shared<control::HttpProtocol>(
        http_routes_, control::HttpCredentials{listener.username, listener.password});
    if (listener.kind == config::HttpListener::Kind::Tcp) {
        return connections_.listen_tcp(listener.host, listener.port, std::move(protocol));
    }
    control::SocketAccess access;
    access.mode = listener.mode;
    if (!listener.owner.empty()) {
        const passwd* pw = ::getpwnam(listener.owner.c_str());
        if (pw == nullptr) return SysError{"getpwnam", ENOENT};
        access.owner = pw->pw_uid;
    }
    if (!listener.group.empty()) {
        const group* gr = ::getgrnam(listener.group.c_str());
        if (gr == nullptr) return SysError{"getgrnam", ENOENT};
        access.group = gr->gr_gid;
    }
    return connections_.listen_unix(listener.path, access, std::move(protocol));
}

// Replies still being written when everything has stopped (an XML-RPC
// shutdown's answer) get a moment to leave before the daemon exits.
void DaemonLoop::flush_replies() {
    if (!connections_.writing()) return;
    const loop::Tag deadline{loop::TagKind::DaemonTimer, 1, 1};
    backend_->timer(deadline, loop::Clock::now() + std::chrono::seconds(1));
    std::vector<loop::Completion> batch;
    while (connections_.writing()) {
        batch.clear();
        if (!backend_->wait(batch)) return;
        for (const auto& c : batch) {
            if (c.tag == deadline) return;
            if (c.tag.kind == loop::TagKind::ControlWrite) connections_.handle(c);
        }
    }
}

int DaemonLoop::run() {
    arm_signal_read();
    std::vector<loop::Completion> batch;
    while (!(shutting_down_ && stopped_all_ && !supervisor_.any_live())) {
        batch.clear();
        if (auto waited = backend_->wait(batch); !waited) {
            spdlog::critical("event loop: {}", waited.error().message());
            supervisor_.kill_all();
            return 1;
        }
        for (const auto& c : batch) {
            switch (c.tag.kind) {
                case loop::TagKind::Signal:
                    on_signals(c.result);
                    break;
                case loop::TagKind::ControlAccept:
                case loop::TagKind::ControlRead:
                case loop::TagKind::ControlWrite:
                case loop::TagKind::ControlTimer:
                    connections_.handle(c);
                    break;
                case loop::TagKind::NotifyRead:
                    notify_.on_readable(c, supervisor_, *backend_);
                    break;
                case loop::TagKind::DaemonTimer:
                    if (c.result == 0 && !shutdown_timer_fired_) {
                        shutdown_timer_fired_ = true;
                        spdlog::warn("shutdown_timeout reached: sending SIGKILL to every process");
                        supervisor_.kill(shutdown_kill_targets());
                    }
                    break;
                default:
                    supervisor_.handle(c);
            }
        }
        if (orphans_pending_) reap_orphans();
        check_critical();
        supervisor_.settle();
        log::deliver_to_followers();
    }
    connections_.close_listeners();
    flush_replies();
    return remap_exit(exit_code());
}

int DaemonLoop::exit_code() const {
    if (exit_code_) return *exit_code_;
    for (const core::Process* p : supervisor_.processes()) {
        if (p->spec.program->critical && p->last_exit) return p->last_exit->shell_code();
    }
    return 0;
}

int DaemonLoop::remap_exit(int code) const {
    auto it = options_.remap_exit.find(code);
    return it == options_.remap_exit.end() ? code : it->second;
}

}  // namespace superv::daemon

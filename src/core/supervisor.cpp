#include "superv/core/supervisor.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstring>
#include <utility>

#include "superv/common/signal_names.hpp"
#include "superv/core/operations.hpp"
#include "superv/core/timeout_text.hpp"

namespace superv::core {

namespace {
template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

ExitStatus decode(const siginfo_t& info) {
    if (info.si_code == CLD_EXITED) return ExitStatus{false, info.si_status};
    return ExitStatus{true, info.si_status};  // CLD_KILLED, CLD_DUMPED
}

std::string describe(const ExitStatus& status) {
    if (status.killed) return "terminated by SIG" + signal_name(status.code);
    return "exit status " + std::to_string(status.code);
}
}  // namespace

Supervisor::Supervisor(Effects& effects) : effects_(effects) {}
Supervisor::~Supervisor() = default;

std::vector<ProcessId> Supervisor::add(const std::vector<config::ProcessSpec>& specs) {
    std::vector<ProcessId> ids;
    for (const auto& spec : specs) {
        std::uint32_t slot = 0;
        while (slot < slots_.size() && slots_[slot])
            ++slot;
        if (slot == slots_.size()) {
            slots_.emplace_back();
            slot_gens_.push_back(0);
        }
        ProcessId id{slot, ++slot_gens_[slot]};
        slots_[slot] = std::make_unique<Process>(id, spec);
        slots_[slot]->since = std::chrono::system_clock::now();
        capture_output(*slots_[slot]);
        ids.push_back(id);
    }
    return ids;
}

bool Supervisor::remove(ProcessId id) {
    Process* p = find(id);
    if (p == nullptr) return true;
    // Only without a process (so no exit wait is reading into p->exit_info).
    if (p->live() || p->exit_gen != 0) return false;
    clear_timer(*p);
    clear_ready_timer(*p);
    close_output(*p);
    slots_[id.slot].reset();
    return true;
}

// A pipe per captured stream, made once for the process's whole stay in the
// table, its read end watched on the loop.
void Supervisor::capture_output(Process& p) {
    p.output = log::ProcessOutput::capture(p.display_name(), *p.spec.program);
    for (std::size_t i : {log::ProcessOutput::kStdout, log::ProcessOutput::kStderr}) {
        if (p.output.stream(i) != nullptr) poll_output(p, i);
    }
}

void Supervisor::poll_output(Process& p, std::size_t stream) {
    log::OutputChannel& channel = *p.output.stream(stream);
    channel.poll_gen = next_gen();
    effects_.poll_readable(loop::Tag{loop::TagKind::OutputRead, p.id.slot, channel.poll_gen},
                           channel.read_fd());
}

void Supervisor::on_output(Process& p, std::uint32_t gen) {
    for (std::size_t i : {log::ProcessOutput::kStdout, log::ProcessOutput::kStderr}) {
        log::OutputChannel* channel = p.output.stream(i);
        if (channel == nullptr || channel->poll_gen != gen) continue;
        if (p.output.on_readable(i, output_scratch_)) {
            poll_output(p, i);
        } else {
            channel->poll_gen = 0;  // broken pipe: nothing more will come
        }
    }
}

void Supervisor::close_output(Process& p) {
    for (std::size_t i : {log::ProcessOutput::kStdout, log::ProcessOutput::kStderr}) {
        const log::OutputChannel* channel = p.output.stream(i);
        // Cancelled before the fds close: a backend must not be left watching
        // an fd number that the next pipe may get.
        if (channel != nullptr && channel->poll_gen != 0) {
            effects_.cancel(loop::Tag{loop::TagKind::OutputRead, p.id.slot, channel->poll_gen});
        }
    }
    p.output.close(output_scratch_);
}

void Supervisor::reopen_logs() {
    for (auto& p : slots_) {
        if (p) p->output.reopen();
    }
}

Process* Supervisor::find(ProcessId id) {
    if (id.slot >= slots_.size() || !slots_[id.slot]) return nullptr;
    Process* p = slots_[id.slot].get();
    return p->id == id ? p : nullptr;
}

const Process* Supervisor::find(ProcessId id) const {
    return const_cast<Supervisor*>(this)->find(id);
}

Process* Supervisor::find(const std::string& name) {
    for (auto& p : slots_) {
        if (p && (p->spec.name == name || p->spec.full_name() == name)) return p.get();
    }
    return nullptr;
}

std::vector<ProcessId> Supervisor::all() const {
    std::vector<ProcessId> ids;
    for (const auto& p : slots_) {
        if (p) ids.push_back(p->id);
    }
    return ids;
}

std::vector<const Process*> Supervisor::processes() const {
    std::vector<const Process*> out;
    for (const auto& p : slots_) {
        if (p) out.push_back(p.get());
    }
    return out;
}

void Supervisor::run(std::vector<Member> members, OperationDone done) {
    operations_.push_back(std::make_unique<Operation>(*this, std::move(members), std::move(done)));
    settle();
}

namespace {
std::vector<Supervisor::Member> members_of(const std::vector<ProcessId>& ids, Goal goal) {
    std::vector<Supervisor::Member> members;
    members.reserve(ids.size());
    for (ProcessId id : ids)
        members.push_back(Supervisor::Member{id, goal});
    return members;
}
}  // namespace

void Supervisor::start(const std::vector<ProcessId>& ids, OperationDone done) {
    run(members_of(ids, Goal::Start), std::move(done));
}

void Supervisor::stop(const std::vector<ProcessId>& ids, OperationDone done) {
    run(members_of(ids, Goal::Stop), std::move(done));
}

void Supervisor::replace(const std::vector<ProcessId>& ids, OperationDone done) {
    run(members_of(ids, Goal::Replace), std::move(done));
}

void Supervisor::respec(Process& p, config::ProcessSpec spec) {
    const config::ProgramConfig& was = *p.spec.program;
    const config::ProgramConfig& next = *spec.program;
    const bool output_changed = was.stdout_log != next.stdout_log ||
                                was.stderr_log != next.stderr_log ||
                                was.redirect_stderr != next.redirect_stderr;
    p.spec = std::move(spec);
    p.lifecycle = Lifecycle(Policy::from(*p.spec.program));
    if (output_changed) {
        close_output(p);
        capture_output(p);
    }
}

std::vector<MemberResult> Supervisor::signal(const std::vector<ProcessId>& ids, int sig,
                                             bool to_group) {
    std::vector<MemberResult> results;
    for (ProcessId id : ids) {
        Process* p = find(id);
        if (p == nullptr) continue;
        MemberResult r{id, p->display_name(), p->state(), true, {}};
        if (!p->live()) {
            r.ok = false;
            r.detail = "not running";
        } else if (auto res = effects_.signal(id, sig, to_group); !res) {
            r.ok = false;
            r.detail = res.error().message();
        }
        results.push_back(std::move(r));
    }
    return results;
}

void Supervisor::kill(const std::vector<ProcessId>& ids) {
    for (ProcessId id : ids) {
        Process* p = find(id);
        if (p == nullptr || !p->live()) continue;
        // Not send_signal: its SIGKILL is the end of a grace period, this one is not.
        auto res = effects_.signal(id, SIGKILL, p->lifecycle.policy().killasgroup);
        if (!res && res.error().err != ESRCH) {
            spdlog::error("{}: cannot send SIGKILL: {}", p->display_name(), res.error().message());
        }
    }
}

void Supervisor::deliver(Process& p, const Event& first) {
    std::vector<Event> queue{first};
    for (std::size_t i = 0; i < queue.size(); ++i) {
        const State before = p.state();
        auto actions = p.lifecycle.handle(queue[i]);
        // Its readiness source starts once the lifecycle knows it runs: a
        // source ready at once (a port already open) must not come first.
        if (std::holds_alternative<event::Spawned>(queue[i])) {
            start_health(p);
            if (auto ready = start_readiness(p)) queue.push_back(*ready);
        }
        State from = before;
        for (const auto& a : actions) {
            std::visit(Overloaded{
                           [&](const action::Become& b) {
                               become(p, from, b.state);
                               from = b.state;
                           },
                           [&](const action::Spawn&) {
                               queue.push_back(spawn(p) ? Event{event::Spawned{}}
                                                        : Event{event::SpawnFailed{}});
                           },
                           [&](const action::Signal& s) { send_signal(p, s.sig, s.to_group); },
                           [&](const action::SetTimer& t) { set_timer(p, t.delay); },
                           [&](const action::ClearTimer&) { clear_timer(p); },
                           [&](const action::SetReadyTimer& t) { set_ready_timer(p, t.delay); },
                           [&](const action::ClearReadyTimer&) { clear_ready_timer(p); },
                       },
                       a);
        }
    }
}

void Supervisor::become(Process& p, State from, State to) {
    p.since = std::chrono::system_clock::now();
    if (to == State::Stopping) stop_health(p);
    if (to == State::Running || to == State::Starting || to == State::Stopping) p.reason.clear();
    if (to == State::Fatal && !p.reason.empty()) p.reason = "too many start retries: " + p.reason;
    if (observer_ != nullptr) observer_->on_transition(p, from, to);
}

bool Supervisor::spawn(Process& p) {
    SpawnExtras capture;
    capture.stdout_fd = p.output.write_fd(log::ProcessOutput::kStdout);
    capture.stderr_fd = p.output.write_fd(log::ProcessOutput::kStderr);
    std::unique_ptr<StdinPipe> stdin_pipe;
    sys::Fd child_stdin;  // closed once the child has it (or the spawn failed)
    if (p.spec.program->stdin_pipe) {
        auto made = StdinPipe::create();
        if (!made) {
            p.reason = p.spawn_error = "stdin pipe: " + made.error().message();
            spdlog::error("{}: cannot start: {}", p.display_name(), p.reason);
            return false;
        }
        std::tie(stdin_pipe, child_stdin) = std::move(made.value());
        capture.stdin_fd = child_stdin.get();
    }
    if (!prepare_readiness(p, capture)) return false;
    p.exit_info = siginfo_t{};
    const std::uint32_t exit_gen = next_gen();
    auto child =
        effects_.spawn(p.id, p.spec, capture,
                       loop::Tag{loop::TagKind::ProcessExit, p.id.slot, exit_gen}, &p.exit_info);
    if (p.ready_watch) p.ready_watch->spawned();
    if (auto* failure = std::get_if<SpawnFailure>(&child)) {
        p.ready_watch.reset();
        p.reason = p.spawn_error = failure->reason;
        p.spawn_errno = failure->err;
        spdlog::error("{}: spawn failed: {}", p.display_name(), p.reason);
        return false;
    }
    p.live_pid = std::get<pid_t>(child);
    p.exit_gen = exit_gen;
    p.started = effects_.now();
    p.last_start = std::chrono::system_clock::now();
    p.spawn_error.clear();
    p.spawn_errno = 0;
    p.ready_error.clear();
    p.status_text.clear();
    p.stdin_pipe = std::move(stdin_pipe);
    managed_pids_.insert(p.live_pid);
    spdlog::info("{}: spawned pid {}", p.display_name(), p.live_pid);
    return true;
}

std::optional<StdinError> Supervisor::send_stdin(ProcessId id, std::string_view bytes) {
    Process* p = find(id);
    // supervisord refuses a process it is killing too.
    if (p == nullptr || !p->live() || p->state() == State::Stopping) {
        return StdinError::NotRunning;
    }
    if (!p->stdin_pipe) return StdinError::NoPipe;
    if (auto refused = p->stdin_pipe->queue(bytes)) return refused;
    write_stdin(*p);
    return std::nullopt;
}

void Supervisor::write_stdin(Process& p) {
    const std::uint32_t gen = next_gen();
    const auto bytes = p.stdin_pipe->start_write(gen);
    if (bytes.empty()) return;  // one in flight already, or nothing to write
    effects_.write(loop::Tag{loop::TagKind::StdinWrite, p.id.slot, gen}, p.stdin_pipe->fd(), bytes);
}

void Supervisor::on_stdin_written(std::uint32_t slot, std::uint32_t gen, int result) {
    Process* p = slot < slots_.size() ? slots_[slot].get() : nullptr;
    if (p != nullptr && p->stdin_pipe && p->stdin_pipe->write_gen() == gen) {
        p->stdin_pipe->finish_write(result);
        if (p->stdin_pipe->closed()) {
            // Also what a dying program's pending write sees: not worth more.
            spdlog::debug("{}: stdin closed ({})", p->display_name(), std::strerror(-result));
        } else {
            write_stdin(*p);
        }
        return;
    }
    // The last write of a pipe whose process has exited: now it can go.
    std::erase_if(closing_stdin_, [gen](const auto& pipe) { return pipe->write_gen() == gen; });
}

void Supervisor::close_stdin(Process& p) {
    if (!p.stdin_pipe) return;
    const std::uint32_t gen = p.stdin_pipe->write_gen();
    if (gen != 0) {
        // Its fd and buffer must outlive the request, and a restart in the
        // same round may get the same fd number for its new pipe.
        effects_.cancel(loop::Tag{loop::TagKind::StdinWrite, p.id.slot, gen});
        closing_stdin_.push_back(std::move(p.stdin_pipe));
    }
    p.stdin_pipe.reset();
}

void Supervisor::send_signal(Process& p, int sig, bool to_group) {
    if (!p.live()) return;
    auto res = effects_.signal(p.id, sig, to_group);
    if (sig == SIGKILL && p.state() == State::Stopping) {
        spdlog::warn("{}: still running after its grace period, sent SIGKILL{}", p.display_name(),
                     to_group ? " to its process group" : "");
    }
    // ESRCH: it has exited already; its exit completion is on its way.
    if (!res && res.error().err != ESRCH) {
        spdlog::error("{}: cannot send SIG{}: {}", p.display_name(), signal_name(sig),
                      res.error().message());
    }
}

void Supervisor::arm_timer(Process& p, loop::TagKind kind, std::uint32_t& gen, Millis delay) {
    arm_timer_at(p, kind, gen, effects_.now() + delay);
}

void Supervisor::arm_timer_at(Process& p, loop::TagKind kind, std::uint32_t& gen,
                              loop::Clock::time_point at) {
    disarm_timer(p, kind, gen);
    gen = next_gen();
    effects_.timer(loop::Tag{kind, p.id.slot, gen}, at);
}

void Supervisor::disarm_timer(Process& p, loop::TagKind kind, std::uint32_t& gen) {
    if (gen == 0) return;
    // Cancelled so that an idle daemon has no timer left to wake it.
    effects_.cancel(loop::Tag{kind, p.id.slot, gen});
    gen = 0;
}

void Supervisor::set_timer(Process& p, Millis delay) {
    arm_timer(p, loop::TagKind::ProcessTimer, p.timer_gen, delay);
}

void Supervisor::clear_timer(Process& p) {
    disarm_timer(p, loop::TagKind::ProcessTimer, p.timer_gen);
}

void Supervisor::on_exit(Process& p, int result) {
    p.exit_gen = 0;
    ExitStatus status{false, 255};
    const pid_t pid = std::exchange(p.live_pid, 0);
    if (result < 0) {
        spdlog::error("{}: waiting for pid {} failed: {}", p.display_name(), pid,
                      std::strerror(-result));
    } else {
        status = decode(p.exit_info);
    }
    managed_pids_.erase(pid);
    effects_.reaped(p.id);
    close_stdin(p);
    p.last_exit = status;
    p.last_stop = std::chrono::system_clock::now();
    const bool expected = p.lifecycle.expected_exit(status);
    p.reason = describe(status);
    end_readiness(p);
    stop_health(p);
    p.health.reset();
    p.health_check_spec.reset();
    if (p.lifecycle.ready_failure() != ReadyFailure::None && !p.ready_error.empty()) {
        p.reason = p.spawn_error = p.ready_error;
    } else if (p.state() == State::Starting && p.lifecycle.policy().oneshot) {
        p.spawn_error = "Bad exit code " + std::to_string(status.killed ? -1 : status.code);
    } else if (p.state() == State::Starting) {
        p.spawn_error = "Exited too quickly (process log may have details)";
    } else if (p.state() == State::Running && !expected) {
        // supervisord's exit status: -1 for a death by signal.
        p.spawn_error = "Bad exit code " + std::to_string(status.killed ? -1 : status.code);
    }
    spdlog::info("{}: pid {} {}{}", p.display_name(), pid, describe(status),
                 p.state() == State::Running ? (expected ? " (expected)" : " (not expected)") : "");
    deliver(p, event::Exited{status});
}

void Supervisor::handle(const loop::Completion& c) {
    // Before the slot check: the write may belong to a process already removed.
    if (c.tag.kind == loop::TagKind::StdinWrite) {
        on_stdin_written(c.tag.slot, c.tag.gen, c.result);
        return;
    }
    if (c.tag.kind == loop::TagKind::ReadyWatch) {
        on_ready_watch(c);
        return;
    }
    if (c.tag.kind == loop::TagKind::HealthIo || c.tag.kind == loop::TagKind::HealthExit) {
        on_health_completion(c);
        return;
    }
    if (c.tag.slot >= slots_.size() || !slots_[c.tag.slot]) return;
    Process& p = *slots_[c.tag.slot];
    if (c.tag.kind == loop::TagKind::ProcessExit) {
        if (c.tag.gen == p.exit_gen) on_exit(p, c.result);
    } else if (c.tag.kind == loop::TagKind::OutputRead) {
        if (c.result > 0) on_output(p, c.tag.gen);
    } else if (c.tag.kind == loop::TagKind::ReadyTimer) {
        if (c.tag.gen == p.ready_timer_gen && c.result == 0) {
            p.ready_timer_gen = 0;
            const Millis timeout = p.lifecycle.policy().ready_timeout;
            p.ready_error = "not ready after " + timeout_text(timeout);
            if (p.ready_watch) {
                if (std::string seen = p.ready_watch->failure(); !seen.empty()) {
                    p.ready_error += ": " + seen;
                }
            }
            spdlog::warn("{}: {}", p.display_name(), p.ready_error);
            deliver(p, event::ReadyTimeout{});
        }
    } else if (c.tag.kind == loop::TagKind::HealthTimer) {
        if (c.tag.gen == p.health_timer_gen && c.result == 0) on_health_timer(p);
    } else if (c.tag.kind == loop::TagKind::ProcessTimer) {
        // A cancelled or replaced timer has another generation: dropped.
        if (c.tag.gen == p.timer_gen && c.result == 0) {
            p.timer_gen = 0;
            deliver(p, event::TimerFired{});
        }
    }
}

void Supervisor::settle() {
    // Done callbacks may start new operations: finish in rounds.
    for (bool progressed = true; progressed;) {
        progressed = false;
        for (std::size_t i = 0; i < operations_.size(); ++i) {
            if (!operations_[i]->advance()) continue;
            auto op = std::move(operations_[i]);
            operations_.erase(operations_.begin() + static_cast<std::ptrdiff_t>(i));
            op->finish();
            progressed = true;
            break;
        }
    }
    // A stop batch goes to the kernel as one submit.
    effects_.submit();
}

}  // namespace superv::core

namespace superv::core {

// Before the spawn: the `ready` fd's pipe, or NOTIFY_SOCKET in the environment.
bool Supervisor::prepare_readiness(Process& p, SpawnExtras& extras) {
    const config::Readiness& ready = p.spec.program->ready;
    if (ready.kind == config::Readiness::Kind::Notify) {
        if (notify_env_.empty()) {
            p.reason = p.spawn_error = "ready = \"notify\": superv has no notify socket";
            spdlog::error("{}: cannot start: {}", p.display_name(), p.reason);
            return false;
        }
        extras.env.insert(extras.env.end(), notify_env_.begin(), notify_env_.end());
    }
    auto prepared = ReadinessWatch::prepare(ready, extras);
    if (auto* failure = std::get_if<SpawnFailure>(&prepared)) {
        p.reason = p.spawn_error = failure->reason;
        p.spawn_errno = failure->err;
        spdlog::error("{}: cannot start: {}", p.display_name(), p.reason);
        return false;
    }
    p.ready_watch = std::move(std::get<std::unique_ptr<ReadinessWatch>>(prepared));
    return true;
}

std::optional<Event> Supervisor::start_readiness(Process& p) {
    if (!p.ready_watch) return std::nullopt;
    const auto outcome =
        p.ready_watch->start(effects_, loop::Tag{loop::TagKind::ReadyWatch, p.id.slot, next_gen()},
                             p.lifecycle.policy().ready_timeout);
    if (p.spec.program->ready.kind == config::Readiness::Kind::Log) {
        for (std::size_t i : {log::ProcessOutput::kStdout, log::ProcessOutput::kStderr}) {
            log::OutputChannel* channel = p.output.stream(i);
            if (channel == nullptr) continue;
            // Dropped (false) at its first chunk once this instance is gone.
            channel->follow([this, id = p.id, instance = p.exit_gen, i](std::string_view chunk) {
                return on_log_output(id, instance, i, chunk);
            });
        }
    }
    return readiness_event(p, outcome);
}

std::optional<Event> Supervisor::readiness_event(Process& p, ReadinessWatch::Outcome outcome) {
    switch (outcome) {
        case ReadinessWatch::Outcome::Pending:
            return std::nullopt;
        case ReadinessWatch::Outcome::Ready:
            spdlog::info("{}: ready", p.display_name());
            return event::Ready{};
        case ReadinessWatch::Outcome::Failed:
            p.ready_error = p.ready_watch->failure();
            spdlog::warn("{}: {}", p.display_name(), p.ready_error);
            return event::ReadyFailed{};
    }
    return std::nullopt;
}

void Supervisor::on_ready_watch(const loop::Completion& c) {
    Process* p = c.tag.slot < slots_.size() ? slots_[c.tag.slot].get() : nullptr;
    if (p != nullptr && p->ready_watch && p->ready_watch->pending() == c.tag) {
        const auto outcome = p->ready_watch->on_completion(
            effects_, c.result, loop::Tag{loop::TagKind::ReadyWatch, p->id.slot, next_gen()});
        if (auto ready = readiness_event(*p, outcome)) {
            end_readiness(*p);
            deliver(*p, *ready);
        }
        return;
    }
    // The last request of an ended instance's watch: now the watch can go.
    std::erase_if(retired_watches_, [&](const auto& watch) { return watch->pending() == c.tag; });
}

bool Supervisor::on_log_output(ProcessId id, std::uint32_t instance, std::size_t stream,
                               std::string_view chunk) {
    Process* p = find(id);
    if (p == nullptr || p->exit_gen != instance || !p->ready_watch) return false;
    auto ready = readiness_event(*p, p->ready_watch->on_output(stream, chunk));
    if (!ready) return true;
    end_readiness(*p);
    deliver(*p, *ready);
    return false;
}

// The instance is ready, failed or gone: its source has nothing more to say.
void Supervisor::end_readiness(Process& p) {
    if (!p.ready_watch) return;
    if (p.ready_watch->pending()) {
        p.ready_watch->cancel(effects_);
        retired_watches_.push_back(std::move(p.ready_watch));
    }
    p.ready_watch.reset();
}

void Supervisor::set_ready_timer(Process& p, Millis delay) {
    arm_timer(p, loop::TagKind::ReadyTimer, p.ready_timer_gen, delay);
}

void Supervisor::clear_ready_timer(Process& p) {
    disarm_timer(p, loop::TagKind::ReadyTimer, p.ready_timer_gen);
}

Process* Supervisor::find_live(pid_t pid) {
    if (pid <= 0 || !is_managed(pid)) return nullptr;
    for (auto& p : slots_) {
        if (p && p->live_pid == pid) return p.get();
    }
    return nullptr;
}

void Supervisor::notify(const readiness::NotifyEvent& event) {
    Process* p = find_live(event.process);
    if (p == nullptr) return;
    const readiness::NotifyMessage& message = event.message;
    if (message.status) p->status_text = *message.status;
    if (message.stopping) spdlog::info("{}: stopping (STOPPING=1)", p->display_name());
    if (message.ready && p->spec.program->ready.kind == config::Readiness::Kind::Notify &&
        !p->lifecycle.ready()) {
        spdlog::info("{}: ready (READY=1 from pid {})", p->display_name(), event.sender);
        deliver(*p, event::Ready{});
    }
}

}  // namespace superv::core

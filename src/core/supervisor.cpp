#include "superv/core/supervisor.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstring>

#include "superv/common/signal_names.hpp"
#include "superv/core/launch.hpp"
#include "superv/core/operations.hpp"

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

Supervisor::Supervisor(loop::Backend& backend) : backend_(backend) {}
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
    if (p->handle.valid() || p->exit_gen != 0) return false;
    clear_timer(*p);
    close_output(*p);
    slots_[id.slot].reset();
    return true;
}

// A pipe per captured stream, made once for the process's whole stay in the
// table; a stream that cannot be captured is discarded (logged).
void Supervisor::capture_output(Process& p) {
    const config::ProgramConfig& program = *p.spec.program;
    const config::LogSpec* specs[2] = {&program.stdout_log,
                                       program.redirect_stderr ? nullptr : &program.stderr_log};
    for (std::size_t i = 0; i < 2; ++i) {
        if (specs[i] == nullptr || specs[i]->target.kind != config::LogTarget::Kind::File) continue;
        auto channel = log::OutputChannel::create(
            p.display_name() + (i == 0 ? " stdout" : " stderr"), *specs[i]);
        if (!channel) {
            spdlog::error("{}: cannot capture its output: {}", p.display_name(),
                          channel.error().message());
            continue;
        }
        p.output[i] = std::move(channel.value());
        poll_output(p, i);
    }
}

void Supervisor::poll_output(Process& p, std::size_t stream) {
    log::OutputChannel& channel = *p.output[stream];
    channel.poll_gen = next_gen();
    backend_.poll_readable(loop::Tag{loop::TagKind::OutputRead, p.id.slot, channel.poll_gen},
                           channel.read_fd());
}

void Supervisor::on_output(Process& p, std::uint32_t gen) {
    for (std::size_t i = 0; i < p.output.size(); ++i) {
        log::OutputChannel* channel = p.output[i].get();
        if (channel == nullptr || channel->poll_gen != gen) continue;
        // One read per readiness: a flooding program gets its turn like
        // every other completion, never the whole loop.
        if (channel->drain(output_scratch())) {
            poll_output(p, i);
        } else {
            channel->poll_gen = 0;  // broken pipe: nothing more will come
        }
    }
}

std::span<char> Supervisor::output_scratch() {
    constexpr std::size_t kScratchSize = 64 * 1024;
    if (!output_scratch_) output_scratch_ = std::make_unique_for_overwrite<char[]>(kScratchSize);
    return {output_scratch_.get(), kScratchSize};
}

void Supervisor::close_output(Process& p) {
    for (auto& channel : p.output) {
        if (!channel) continue;
        channel->drain_all(output_scratch());  // what it wrote last still reaches its file
        // Cancelled before the fds close: a backend must not be left watching
        // an fd number that the next pipe may get.
        if (channel->poll_gen != 0) {
            backend_.cancel(loop::Tag{loop::TagKind::OutputRead, p.id.slot, channel->poll_gen});
        }
        channel.reset();
    }
}

void Supervisor::reopen_logs() {
    for (auto& p : slots_) {
        if (!p) continue;
        for (auto& channel : p->output) {
            if (channel) channel->reopen();
        }
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

void Supervisor::start(std::vector<ProcessId> ids, OperationDone done) {
    operations_.push_back(std::make_unique<StartOperation>(*this, std::move(ids), std::move(done)));
    settle();
}

void Supervisor::stop(std::vector<ProcessId> ids, OperationDone done) {
    operations_.push_back(std::make_unique<StopOperation>(*this, std::move(ids), std::move(done)));
    settle();
}

std::vector<MemberResult> Supervisor::signal(const std::vector<ProcessId>& ids, int sig,
                                             bool to_group) {
    std::vector<MemberResult> results;
    for (ProcessId id : ids) {
        Process* p = find(id);
        if (p == nullptr) continue;
        MemberResult r{id, p->display_name(), p->state(), true, {}};
        if (!p->handle.valid()) {
            r.ok = false;
            r.detail = "not running";
        } else if (auto res = to_group ? p->handle.signal_group(sig) : p->handle.signal(sig);
                   !res) {
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
        if (p == nullptr || !p->handle.valid()) continue;
        // Not send_signal: its SIGKILL is the end of a grace period, this one is not.
        const bool group = p->lifecycle.policy().killasgroup;
        auto res = group ? p->handle.signal_group(SIGKILL) : p->handle.signal(SIGKILL);
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
                       },
                       a);
        }
    }
}

void Supervisor::become(Process& p, State from, State to) {
    p.since = std::chrono::system_clock::now();
    if (to == State::Running || to == State::Starting || to == State::Stopping) p.reason.clear();
    if (to == State::Fatal && !p.reason.empty()) p.reason = "too many start retries: " + p.reason;
    if (observer_ != nullptr) observer_->on_transition(p, from, to);
}

bool Supervisor::spawn(Process& p) {
    CaptureFds capture;
    if (p.output[0]) capture.stdout_fd = p.output[0]->write_fd();
    if (p.output[1]) capture.stderr_fd = p.output[1]->write_fd();
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
    auto prepared = prepare_launch(p.spec, capture);
    if (auto* err = std::get_if<LaunchError>(&prepared)) {
        p.reason = p.spawn_error = err->message;
        spdlog::error("{}: cannot start: {}", p.display_name(), err->message);
        return false;
    }
    auto& launch = std::get<Launch>(prepared);

    auto child = sys::spawn(launch.request);
    if (!child) {
        const auto& e = child.error();
        // "execve /usr/bin/foo: No such file or directory"
        std::string what = e.call;
        if (what == "execve") what += " " + p.spec.program->command.front();
        if (what == "chdir") what += " " + p.spec.program->directory;
        p.reason = p.spawn_error = what + ": " + std::strerror(e.err);
        p.spawn_errno = e.err;
        spdlog::error("{}: spawn failed: {}", p.display_name(), p.reason);
        return false;
    }
    p.handle = std::move(child.value());
    p.started = std::chrono::steady_clock::now();
    p.last_start = std::chrono::system_clock::now();
    p.spawn_error.clear();
    p.spawn_errno = 0;
    p.stdin_pipe = std::move(stdin_pipe);
    p.exit_info = siginfo_t{};
    p.exit_gen = next_gen();
    managed_pids_.insert(p.handle.pid());
    backend_.wait_exit(loop::Tag{loop::TagKind::ProcessExit, p.id.slot, p.exit_gen},
                       p.handle.pidfd(), &p.exit_info);
    spdlog::info("{}: spawned pid {}", p.display_name(), p.handle.pid());
    return true;
}

std::optional<StdinError> Supervisor::send_stdin(ProcessId id, std::string_view bytes) {
    Process* p = find(id);
    // supervisord refuses a process it is killing too.
    if (p == nullptr || !p->handle.valid() || p->state() == State::Stopping) {
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
    backend_.write(loop::Tag{loop::TagKind::StdinWrite, p.id.slot, gen}, p.stdin_pipe->fd(), bytes);
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
        backend_.cancel(loop::Tag{loop::TagKind::StdinWrite, p.id.slot, gen});
        closing_stdin_.push_back(std::move(p.stdin_pipe));
    }
    p.stdin_pipe.reset();
}

void Supervisor::send_signal(Process& p, int sig, bool to_group) {
    if (!p.handle.valid()) return;
    auto res = to_group ? p.handle.signal_group(sig) : p.handle.signal(sig);
    if (sig == SIGKILL) {
        spdlog::warn("{}: still running after its grace period, sent SIGKILL{}", p.display_name(),
                     to_group ? " to its process group" : "");
    }
    // ESRCH: it has exited already; its exit completion is on its way.
    if (!res && res.error().err != ESRCH) {
        spdlog::error("{}: cannot send SIG{}: {}", p.display_name(), signal_name(sig),
                      res.error().message());
    }
}

void Supervisor::set_timer(Process& p, Millis delay) {
    clear_timer(p);
    p.timer_gen = next_gen();
    backend_.timer(loop::Tag{loop::TagKind::ProcessTimer, p.id.slot, p.timer_gen},
                   loop::Clock::now() + delay);
}

void Supervisor::clear_timer(Process& p) {
    if (p.timer_gen == 0) return;
    // Cancelled so that an idle daemon has no timer left to wake it.
    backend_.cancel(loop::Tag{loop::TagKind::ProcessTimer, p.id.slot, p.timer_gen});
    p.timer_gen = 0;
}

void Supervisor::on_exit(Process& p, int result) {
    p.exit_gen = 0;
    ExitStatus status{false, 255};
    if (result < 0) {
        spdlog::error("{}: waiting for pid {} failed: {}", p.display_name(), p.handle.pid(),
                      std::strerror(-result));
    } else {
        status = decode(p.exit_info);
    }
    managed_pids_.erase(p.handle.pid());
    const pid_t pid = p.handle.pid();
    p.handle = sys::ProcessHandle();
    close_stdin(p);
    p.last_exit = status;
    p.last_stop = std::chrono::system_clock::now();
    const bool expected = p.lifecycle.expected_exit(status);
    p.reason = describe(status);
    if (p.state() == State::Starting) {
        p.spawn_error = "Exited too quickly (process log may have details)";
    } else if (p.state() == State::Running && !expected) {
        // supervisord's exit status: -1 for a death by signal.
        p.spawn_error = "Bad exit code " + std::to_string(status.killed ? -1 : status.code);
    }
    spdlog::info("{}: pid {} {}{}", p.display_name(), pid, p.reason,
                 p.state() == State::Running ? (expected ? " (expected)" : " (not expected)") : "");
    deliver(p, event::Exited{status});
}

void Supervisor::handle(const loop::Completion& c) {
    // Before the slot check: the write may belong to a process already removed.
    if (c.tag.kind == loop::TagKind::StdinWrite) {
        on_stdin_written(c.tag.slot, c.tag.gen, c.result);
        return;
    }
    if (c.tag.slot >= slots_.size() || !slots_[c.tag.slot]) return;
    Process& p = *slots_[c.tag.slot];
    if (c.tag.kind == loop::TagKind::ProcessExit) {
        if (c.tag.gen == p.exit_gen) on_exit(p, c.result);
    } else if (c.tag.kind == loop::TagKind::OutputRead) {
        if (c.result > 0) on_output(p, c.tag.gen);
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
    backend_.submit();
}

}  // namespace superv::core

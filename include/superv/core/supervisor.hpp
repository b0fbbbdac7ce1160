// The supervisor: the table of processes, the carrying-out of their
// lifecycles' actions through Effects (effects.hpp: the real system in the
// daemon, a fake in unit tests), and operations (start / stop sets of
// processes) that complete when every member has settled.
//
// A stop of many processes is one batch: every member gets its stop signal at
// once, then every grace timer goes to the kernel in one submit (their exit
// waits are already there: one is armed at each spawn). Members stop in
// reverse priority order; equal priorities together.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "superv/config/processes.hpp"
#include "superv/core/effects.hpp"
#include "superv/core/planner.hpp"
#include "superv/core/process.hpp"
#include "superv/core/readiness/notify_inbox.hpp"

namespace superv::core {

// What an operation did to each of its members.
struct MemberResult {
    ProcessId id;
    std::string name;  // display name
    State state;       // state when the operation ended
    bool ok;
    std::string detail;  // reason when !ok
};
using OperationDone = std::function<void(const std::vector<MemberResult>&)>;

// What the daemon wants to hear about.
struct SupervisorObserver {
    virtual ~SupervisorObserver() = default;
    virtual void on_transition(const Process& process, State from, State to) = 0;
};

class Supervisor {
  public:
    explicit Supervisor(Effects& effects);
    ~Supervisor();
    Supervisor(const Supervisor&) = delete;
    Supervisor& operator=(const Supervisor&) = delete;

    void set_observer(SupervisorObserver* observer) { observer_ = observer; }

    // Adds processes in STOPPED state; returns their ids in the same order.
    std::vector<ProcessId> add(const std::vector<config::ProcessSpec>& specs);
    // Removes settled processes (STOPPED, EXITED, FATAL). Returns false if one
    // is still live (it is then left in place).
    bool remove(ProcessId id);

    Process* find(ProcessId id);
    const Process* find(ProcessId id) const;
    Process* find(const std::string& name);  // bare or group:name
    std::vector<ProcessId> all() const;      // in table order
    std::vector<const Process*> processes() const;

    // One request over the table, planned by the dependency graph
    // (planner.hpp, operations.hpp): each member with its goal, and for a
    // Replace member optionally the spec its new instance gets (reload,
    // update). Done when every member has settled, with one result each,
    // including the processes the request took along (what a started one
    // needs, what needs a stopped or replaced one).
    struct Member {
        ProcessId id;
        Goal goal = Goal::Start;
        std::optional<config::ProcessSpec> spec{};
        // Only this process, without what needs it or what it needs (the
        // restart of an unhealthy one, as a crash's respawn).
        bool alone = false;
    };
    void run(std::vector<Member> members, OperationDone done);
    // Starts members and what they need, each the moment its conditions
    // hold; done when none is STARTING (a oneshot: until it completed).
    void start(const std::vector<ProcessId>& ids, OperationDone done);
    // Stops members and, first, what needs them: each wave of processes
    // that nothing still up needs is one batch (higher priority first).
    void stop(const std::vector<ProcessId>& ids, OperationDone done);
    // restart: stops members and what needs them, and starts each again as
    // soon as its own old instance is gone and its conditions hold.
    void replace(const std::vector<ProcessId>& ids, OperationDone done);
    // A settled process takes a new spec (and policy) without starting; a
    // replaced member takes its new spec this way when its new instance starts.
    void respec(Process& p, config::ProcessSpec spec);
    // Sends `sig` to every member that has a process (to its whole process
    // group with `to_group`); results per member.
    std::vector<MemberResult> signal(const std::vector<ProcessId>& ids, int sig,
                                     bool to_group = false);
    // SIGKILL to every live member (and its group where killasgroup).
    void kill(const std::vector<ProcessId>& ids);
    // kill() of every process: the end of shutdown_timeout.
    void kill_all() { kill(all()); }

    // ready = "notify": the variables every such program gets
    // (readiness::notify_environment). Until set, such a program cannot start.
    void set_notify_environment(std::vector<std::string> env) { notify_env_ = std::move(env); }
    // A message from the notify socket, attributed to the managed process
    // with pid `event.process`: READY=1 makes it ready, STATUS= is kept.
    void notify(const readiness::NotifyEvent& event);

    // SIGUSR2: every captured output's file is reopened.
    void reopen_logs();

    // sendProcessStdin: queues `bytes` for the process's stdin pipe; the loop
    // writes them (at the next submit). nullopt: queued.
    std::optional<StdinError> send_stdin(ProcessId id, std::string_view bytes);

    // Routes a completion of kind ProcessExit / ProcessTimer / OutputRead /
    // StdinWrite.
    void handle(const loop::Completion& completion);
    // Called after each round of completions: advances operations and calls
    // the `done` of those that finished.
    void settle();

    // True when `pid` is a live managed process (not an orphan to reap).
    bool is_managed(pid_t pid) const { return managed_pids_.count(pid) != 0; }
    bool any_live() const { return !managed_pids_.empty(); }
    std::size_t operations_pending() const { return operations_.size(); }

    class Operation;

  private:
    void deliver(Process& p, const Event& event);
    bool spawn(Process& p);
    void send_signal(Process& p, int sig, bool to_group);
    // One timer of `p` of each kind, its pending tag's generation in `gen`.
    void arm_timer(Process& p, loop::TagKind kind, std::uint32_t& gen, Millis delay);
    void arm_timer_at(Process& p, loop::TagKind kind, std::uint32_t& gen,
                      loop::Clock::time_point at);
    void disarm_timer(Process& p, loop::TagKind kind, std::uint32_t& gen);
    void set_timer(Process& p, Millis delay);
    void clear_timer(Process& p);
    void become(Process& p, State from, State to);
    void on_exit(Process& p, int result);
    void capture_output(Process& p);
    void poll_output(Process& p, std::size_t stream);
    void on_output(Process& p, std::uint32_t gen);
    void close_output(Process& p);
    void write_stdin(Process& p);
    void close_stdin(Process& p);
    void on_stdin_written(std::uint32_t slot, std::uint32_t gen, int result);
    bool prepare_readiness(Process& p, SpawnExtras& extras);
    std::optional<Event> start_readiness(Process& p);
    static std::optional<Event> readiness_event(Process& p, ReadinessWatch::Outcome outcome);
    void on_ready_watch(const loop::Completion& c);
    bool on_log_output(ProcessId id, std::uint32_t instance, std::size_t stream,
                       std::string_view chunk);
    void end_readiness(Process& p);
    void set_ready_timer(Process& p, Millis delay);
    void clear_ready_timer(Process& p);
    void start_health(Process& p);
    void stop_health(Process& p);
    void set_health_timer(Process& p, loop::Clock::time_point at);
    void clear_health_timer(Process& p);
    void on_health_timer(Process& p);
    void on_health_completion(const loop::Completion& c);
    void finish_health_check(Process& p);
    void on_health_result(Process& p, const health::CheckResult& result);
    void retire_probe(std::unique_ptr<health::HealthProbe> probe);
    Process* find_live(pid_t pid);
    std::uint32_t next_gen() { return ++gen_counter_ == 0 ? ++gen_counter_ : gen_counter_; }

    Effects& effects_;
    SupervisorObserver* observer_ = nullptr;
    std::vector<std::unique_ptr<Process>> slots_;  // nullptr: free
    std::vector<std::uint32_t> slot_gens_;
    std::unordered_set<pid_t> managed_pids_;
    std::vector<std::unique_ptr<Operation>> operations_;
    // Stdin pipes of exited processes whose last write is still in the
    // kernel: its buffer and fd stay until that write completes (cancelled).
    std::vector<std::unique_ptr<StdinPipe>> closing_stdin_;
    std::uint32_t gen_counter_ = 0;
    // Watches of ended instances whose last request is still in the kernel.
    std::vector<std::unique_ptr<ReadinessWatch>> retired_watches_;
    // Health probes of ended runs whose request or command is still out.
    std::vector<std::unique_ptr<health::HealthProbe>> retired_probes_;
    std::vector<std::string> notify_env_;
    log::OutputScratch output_scratch_;
};

}  // namespace superv::core

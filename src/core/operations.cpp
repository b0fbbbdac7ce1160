#include "superv/core/operations.hpp"

#include <algorithm>
#include <utility>

namespace superv::core {

namespace {
bool down(State s) {
    return s == State::Stopped || s == State::Exited || s == State::Fatal;
}
}  // namespace

Supervisor::Operation::Operation(Supervisor& sup, std::vector<Member> members, OperationDone done)
    : sup_(sup), done_(std::move(done)) {
    // The graph of the table as it will be: a replaced member with its new spec.
    std::vector<config::ProcessSpec> specs;
    index_of_slot_.assign(sup_.slots_.size(), kNoIndex);
    for (const auto& p : sup_.slots_) {
        if (!p) continue;
        index_of_slot_[p->id.slot] = ids_.size();
        ids_.push_back(p->id);
        specs.push_back(p->spec);
    }
    respec_.resize(ids_.size());
    for (Member& m : members) {
        const std::size_t i = index_of(m.id);
        if (!m.spec || i == kNoIndex) continue;
        specs[i] = *m.spec;
        respec_[i] = std::move(m.spec);
    }
    graph_ = config::DependencyGraph(specs);
    facts_.resize(ids_.size());
    blocked_.resize(ids_.size());
    for (std::size_t i = 0; i < ids_.size(); ++i)
        facts_[i].priority = specs[i].priority;
    expand(members);
}

std::size_t Supervisor::Operation::index_of(ProcessId id) const {
    if (id.slot >= index_of_slot_.size()) return kNoIndex;
    const std::size_t i = index_of_slot_[id.slot];
    return i != kNoIndex && ids_[i] == id ? i : kNoIndex;
}

void Supervisor::Operation::expand(const std::vector<Member>& members) {
    std::vector<std::size_t> roots[3];  // Start, Stop, Replace
    for (const Member& m : members) {
        const std::size_t i = index_of(m.id);
        if (i == kNoIndex || m.goal == Goal::None) continue;
        facts_[i].goal = m.goal;  // what was asked wins over what follows from it
        // `start migrate` runs a completed oneshot again, as supervisord's
        // start of an EXITED process; one that is only needed is left done.
        const Process* p = sup_.find(m.id);
        if (m.goal == Goal::Start && p != nullptr && p->lifecycle.completed()) {
            facts_[i].goal = Goal::Replace;
        }
        if (m.alone) continue;
        const Goal goal = facts_[i].goal;
        roots[goal == Goal::Start ? 0 : goal == Goal::Stop ? 1 : 2].push_back(i);
    }
    // Restarting or stopping X takes down what needs X first (and restarts
    // it after X); starting X brings up what X needs.
    for (std::size_t i : graph_.with_dependents(roots[2])) {
        if (facts_[i].goal == Goal::None) facts_[i].goal = Goal::Replace;
    }
    for (std::size_t i : graph_.with_dependents(roots[1])) {
        if (facts_[i].goal == Goal::None) facts_[i].goal = Goal::Stop;
    }
    for (std::size_t i : graph_.with_requirements(roots[0])) {
        if (facts_[i].goal == Goal::None) facts_[i].goal = Goal::Start;
    }
    for (std::size_t i = 0; i < ids_.size(); ++i) {
        if (facts_[i].goal != Goal::None) members_.push_back(i);
    }
}

void Supervisor::Operation::refresh() {
    for (std::size_t i = 0; i < ids_.size(); ++i) {
        ProcessFacts& f = facts_[i];
        const Process* p = sup_.find(ids_[i]);
        if (p == nullptr) {
            f.state = State::Stopped;
            f.spawned = f.ready = f.healthy = f.completed = false;
            continue;
        }
        f.state = p->state();
        f.spawned = p->live();
        f.ready = p->lifecycle.ready();
        f.healthy = p->health && p->health->health() == health::Health::Healthy;
        f.completed = p->lifecycle.completed();
    }
}

// One stop wave and one start batch; true if anything was done.
bool Supervisor::Operation::carry_out(const Plan& plan) {
    for (std::size_t i : plan.stop_now) {
        facts_[i].stop_issued = true;
        if (Process* p = sup_.find(ids_[i])) {
            const int sig = std::exchange(p->next_stop_signal, event::Stop::kPolicySignal);
            sup_.deliver(*p, event::Stop{sig});
        }
    }
    for (std::size_t i : plan.start_now) {
        facts_[i].start_issued = true;
        Process* p = sup_.find(ids_[i]);
        if (p == nullptr) continue;
        if (respec_[i]) sup_.respec(*p, std::move(*respec_[i]));
        respec_[i].reset();
        sup_.deliver(*p, event::Start{});
    }
    return !plan.stop_now.empty() || !plan.start_now.empty();
}

// What a process that is down waits for is its description in `status`.
void Supervisor::Operation::describe_waits(const Plan& plan) {
    for (const Waiting& w : plan.waiting) {
        Process* p = sup_.find(ids_[w.process]);
        if (p != nullptr && w.what == Waiting::For::Condition && !p->live()) {
            p->reason = describe(graph_, w);
        }
    }
    for (const Blocked& b : plan.blocked) {
        Process* p = sup_.find(ids_[b.process]);
        if (p == nullptr || blocked_[b.process]) continue;
        blocked_[b.process] = true;
        if (!p->live()) p->reason = describe(graph_, facts_, b);
    }
}

bool Supervisor::Operation::settled(std::size_t i) const {
    const Process* p = sup_.find(ids_[i]);
    if (p == nullptr || blocked_[i]) return true;
    const State s = p->state();
    if (facts_[i].goal == Goal::Stop) return s != State::Stopping && s != State::Starting;
    return s != State::Starting && s != State::Stopping;
}

bool Supervisor::Operation::advance() {
    Plan plan;
    // A start that is RUNNING at once (startsecs = 0) may let its dependent
    // start in the same round: plan again until nothing more can happen now.
    do {
        refresh();
        plan = core::plan(graph_, facts_);
    } while (carry_out(plan));
    describe_waits(plan);
    if (!plan.idle()) return false;
    return std::all_of(members_.begin(), members_.end(), [&](std::size_t i) { return settled(i); });
}

bool Supervisor::Operation::member_ok(std::size_t i, const Process& p) const {
    if (blocked_[i]) return false;
    if (facts_[i].goal == Goal::Stop) return down(p.state());
    return p.state() == State::Running || p.lifecycle.completed();
}

void Supervisor::Operation::finish() {
    std::vector<MemberResult> results;
    for (std::size_t i : members_) {
        const Process* p = sup_.find(ids_[i]);
        if (p == nullptr) continue;
        MemberResult r{ids_[i], p->display_name(), p->state(), member_ok(i, *p), {}};
        if (!r.ok) r.detail = p->reason.empty() ? std::string(state_name(p->state())) : p->reason;
        results.push_back(std::move(r));
    }
    if (done_) done_(results);
}

}  // namespace superv::core

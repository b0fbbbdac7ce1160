#include "superv/core/planner.hpp"

#include <algorithm>
#include <cassert>
#include <cstdint>

#include "superv/config/processes.hpp"

namespace superv::core {
// Its own namespace: the core library is built as one unity file.
namespace planning {
namespace {

using config::Condition;
using Edge = config::DependencyGraph::Edge;

constexpr std::size_t kNone = SIZE_MAX;

// No process and none coming on its own (BACKOFF respawns, STOPPING ends).
bool is_down(const ProcessFacts& f) {
    return !f.spawned && (f.state == State::Stopped || f.state == State::Exited ||
                          f.state == State::Fatal || f.state == State::Unknown);
}

bool in_stop_set(const ProcessFacts& f) {
    return f.goal == Goal::Stop || f.goal == Goal::Replace;
}

// Nothing of its old instance is left to stop.
bool old_gone(const ProcessFacts& f) {
    return (f.goal == Goal::Replace && f.start_issued) || is_down(f);
}

// What Goal::Start leaves alone: it is up already, or on its way up, or (a
// oneshot) its job is done, so `start web` does not rerun the migration.
bool already_up(const ProcessFacts& f) {
    return f.state == State::Starting || f.state == State::Running || f.state == State::Backoff ||
           (is_down(f) && f.completed);
}

// A spawn for this request is still to come.
bool wants_start(const ProcessFacts& f) {
    if (f.start_issued) return false;
    if (f.goal == Goal::Replace) return true;
    return f.goal == Goal::Start && !already_up(f);
}

bool condition_holds(const ProcessFacts& t, Condition condition) {
    // Only the instance this request starts counts, not the one going away.
    if (wants_start(t)) return false;
    switch (condition) {
        case Condition::Started:
            return (t.spawned && t.state != State::Stopping) || t.state == State::Running ||
                   t.completed;
        case Condition::Running:
            return t.state == State::Running;
        case Condition::Ready:
            return t.state == State::Running && t.ready;
        case Condition::Healthy:
            return t.spawned && t.healthy;
        case Condition::Completed:
            return t.completed;
    }
    return false;
}

// Where a start of one member stands, decided dependencies first.
struct StartCheck {
    std::size_t cause = kNone;    // blocked by this (root) dependency
    std::size_t via = kNone;      // through this needs() target
    const Edge* unmet = nullptr;  // else the first edge still to hold
};

class PlanBuilder {
  public:
    PlanBuilder(const config::DependencyGraph& graph, std::span<const ProcessFacts> facts)
        : graph_(graph),
          facts_(facts),
          checks_(graph.size()),
          ordered_(graph.size(), false),
          rank_(graph.size()) {}

    Plan build() {
        for (std::size_t i : graph_.order()) {
            ordered_[i] = true;
            if (wants_start(facts_[i])) checks_[i] = check_start(i);
        }
        for (std::size_t i = 0; i < graph_.size(); ++i) {
            if (!ordered_[i]) checks_[i] = StartCheck{i, i, nullptr};
        }
        rank_stops();
        for (std::size_t i : graph_.order())
            decide(i);
        for (std::size_t i = 0; i < graph_.size(); ++i) {
            if (!ordered_[i]) decide(i);
        }
        // Stops were collected dependencies first; a batch goes dependents first.
        std::reverse(plan_.stop_now.begin(), plan_.stop_now.end());
        std::stable_sort(
            plan_.stop_now.begin(), plan_.stop_now.end(),
            [&](std::size_t a, std::size_t b) { return facts_[a].priority > facts_[b].priority; });
        std::stable_sort(
            plan_.start_now.begin(), plan_.start_now.end(),
            [&](std::size_t a, std::size_t b) { return facts_[a].priority < facts_[b].priority; });
        return std::move(plan_);
    }

  private:
    StartCheck check_start(std::size_t i) const {
        StartCheck check;
        for (const Edge& edge : graph_.needs(i)) {
            const ProcessFacts& target = facts_[edge.process];
            if (condition_holds(target, edge.condition)) continue;
            std::size_t cause = kNone;
            if (wants_start(target)) {
                cause = checks_[edge.process].cause;  // decided: it comes earlier in order()
            } else if (is_down(target)) {
                cause = edge.process;
            }
            if (cause != kNone) return StartCheck{cause, edge.process, nullptr};
            if (check.unmet == nullptr) check.unmet = &edge;
        }
        return check;
    }

    // rank = priority, lowered to the lowest rank of its dependents in the
    // stop set (see planner.hpp): dependents come later in order(), so a
    // reverse walk has their ranks final. top_ = a member still up with the
    // highest rank.
    void rank_stops() {
        for (std::size_t i = 0; i < graph_.size(); ++i)
            rank_[i] = facts_[i].priority;
        const auto order = graph_.order();
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            if (!in_stop_set(facts_[*it])) continue;
            for (const Edge& edge : graph_.needed_by(*it)) {
                if (in_stop_set(facts_[edge.process]))
                    rank_[*it] = std::min(rank_[*it], rank_[edge.process]);
            }
        }
        for (std::size_t i = 0; i < graph_.size(); ++i) {
            if (in_stop_set(facts_[i]) && !old_gone(facts_[i]) &&
                (top_ == kNone || rank_[i] > rank_[top_]))
                top_ = i;
        }
    }

    void decide(std::size_t i) {
        const ProcessFacts& f = facts_[i];
        if (in_stop_set(f) && !old_gone(f)) {
            decide_stop(i);
        } else if (wants_start(f)) {
            if (!is_down(f)) {
                wait(i, Waiting::For::OwnStop, i);  // a Start member someone is stopping
            } else if (checks_[i].cause != kNone) {
                plan_.blocked.push_back(Blocked{i, checks_[i].cause, checks_[i].via});
            } else if (checks_[i].unmet != nullptr) {
                wait(i, Waiting::For::Condition, checks_[i].unmet->process,
                     checks_[i].unmet->condition);
            } else {
                plan_.start_now.push_back(i);
            }
        }
    }

    void decide_stop(std::size_t i) {
        const ProcessFacts& f = facts_[i];
        if (f.stop_issued || f.state == State::Stopping) {
            // On its way down; only a Replace member has more to come.
            if (wants_start(f)) wait(i, Waiting::For::OwnStop, i);
            return;
        }
        // A process on a cycle waits for no dependent: no order is right, and
        // waiting could be for ever.
        if (ordered_[i]) {
            if (const std::size_t up = dependent_still_up(i); up != kNone) {
                wait(i, Waiting::For::DependentStop, up);
                return;
            }
        }
        if (rank_[top_] > rank_[i]) {
            wait(i, Waiting::For::PriorityStop, top_);
            return;
        }
        plan_.stop_now.push_back(i);
    }

    // A dependent of `i` being stopped that is still up, also through
    // dependents already down (web needs the completed oneshot migrate,
    // which needs db: db waits for web); kNone if none.
    std::size_t dependent_still_up(std::size_t i) const {
        std::vector<std::size_t> todo{i};
        std::vector<bool> seen(graph_.size(), false);
        seen[i] = true;
        while (!todo.empty()) {
            const std::size_t at = todo.back();
            todo.pop_back();
            for (const Edge& edge : graph_.needed_by(at)) {
                if (seen[edge.process]) continue;
                seen[edge.process] = true;
                const ProcessFacts& dependent = facts_[edge.process];
                if (!in_stop_set(dependent)) continue;
                if (!old_gone(dependent)) return edge.process;
                todo.push_back(edge.process);
            }
        }
        return kNone;
    }

    void wait(std::size_t i, Waiting::For what, std::size_t target,
              Condition condition = Condition::Started) {
        plan_.waiting.push_back(Waiting{i, what, target, condition});
    }

    const config::DependencyGraph& graph_;
    std::span<const ProcessFacts> facts_;
    std::vector<StartCheck> checks_;
    std::vector<bool> ordered_;
    std::vector<int> rank_;
    std::size_t top_ = kNone;
    Plan plan_;
};

std::string shown(const config::DependencyGraph& graph, std::size_t process) {
    return config::display_name(graph.name(process));
}

}  // namespace
}  // namespace planning

Plan plan(const config::DependencyGraph& graph, std::span<const ProcessFacts> facts) {
    assert(facts.size() == graph.size());
    return planning::PlanBuilder(graph, facts).build();
}

std::string describe(const config::DependencyGraph& graph, const Waiting& waiting) {
    const std::string target = planning::shown(graph, waiting.target);
    switch (waiting.what) {
        case Waiting::For::Condition:
            return "waiting for " + target + " (" +
                   std::string(config::condition_name(waiting.condition)) + ")";
        case Waiting::For::OwnStop:
            return "waiting for its stop";
        case Waiting::For::DependentStop:
            return "waiting for " + target + " to stop";
        case Waiting::For::PriorityStop:
            return "waiting for " + target + " to stop (priority)";
    }
    return "waiting";
}

std::string describe(const config::DependencyGraph& graph, std::span<const ProcessFacts> facts,
                     const Blocked& blocked) {
    if (blocked.cause == blocked.process) return "dependency cycle";
    const std::string cause = "dependency " + planning::shown(graph, blocked.cause);
    const State state = facts[blocked.cause].state;
    if (state == State::Stopped || state == State::Unknown) return cause + " is not started";
    return cause + " is " + std::string(state_name(state));
}

}  // namespace superv::core

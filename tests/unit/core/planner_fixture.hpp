// A small world for the planner: programs built as ProcessSpecs (no loader,
// so a test may build a cycle), their facts, and the effects the supervisor
// would have on those facts, each a single call.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "superv/config/dependencies.hpp"
#include "superv/config/processes.hpp"
#include "superv/core/planner.hpp"

namespace superv::core::test {

using config::Condition;

// A `depends_on` entry (condition ready unless given).
inline config::Dependency on(const std::string& target, Condition condition = Condition::Ready) {
    return config::Dependency{target, condition, {}};
}

class PlannerTest : public ::testing::Test {
  protected:
    void add(const std::string& name, std::vector<config::Dependency> depends_on = {},
             int priority = 999) {
        add_spec(name, name, std::move(depends_on), priority, config::ProgramType::Long);
    }
    void add_oneshot(const std::string& name, std::vector<config::Dependency> depends_on = {}) {
        add_spec(name, name, std::move(depends_on), 999, config::ProgramType::Oneshot);
    }
    void add_in_group(const std::string& group, const std::string& name) {
        add_spec(name, group, {}, 999, config::ProgramType::Long);
    }

    // The graph of what add() added, every process STOPPED and in no request.
    void build() {
        graph_ = config::DependencyGraph(specs_);
        facts_.assign(graph_.size(), ProcessFacts{});
        for (std::size_t i = 0; i < specs_.size(); ++i) {
            facts_[i].priority = specs_[i].priority;
            ids_[specs_[i].display_name()] = i;
        }
    }

    // db <- app <- web, each needing the one before it ready; built.
    void chain_db_app_web() {
        add("db");
        add("app", {on("db")});
        add("web", {on("app")});
        build();
    }

    std::size_t id(const std::string& name) const {
        auto found = ids_.find(name);
        if (found != ids_.end()) return found->second;
        ADD_FAILURE() << "no process " << name;
        return 0;
    }
    ProcessFacts& fact(const std::string& name) { return facts_[id(name)]; }

    std::vector<std::string> names(const std::vector<std::size_t>& ids) const {
        std::vector<std::string> out;
        for (std::size_t i : ids)
            out.push_back(specs_[i].display_name());
        return out;
    }
    std::vector<std::string> waiting(const Plan& plan) const {
        std::vector<std::string> out;
        for (const Waiting& w : plan.waiting)
            out.push_back(specs_[w.process].display_name() + ": " + describe(graph_, w));
        return out;
    }
    std::vector<std::string> blocked(const Plan& plan) const {
        std::vector<std::string> out;
        for (const Blocked& b : plan.blocked)
            out.push_back(specs_[b.process].display_name() + ": " + describe(graph_, facts_, b));
        return out;
    }

    // A new request: `goal` for every process (or the named ones).
    void request(Goal goal) {
        for (ProcessFacts& f : facts_)
            request_one(f, goal);
    }
    void request(Goal goal, const std::vector<std::string>& members) {
        for (const std::string& name : members)
            request_one(fact(name), goal);
    }

    // Facts as the lifecycle and the caller leave them.
    void running(const std::string& name, bool ready = true) {
        ProcessFacts& f = fact(name);
        f.state = State::Running;
        f.spawned = true;
        f.ready = ready;
    }
    void all_running() {
        for (const auto& spec : specs_)
            running(spec.display_name());
    }
    void spawned(const std::string& name) {  // what carrying out start_now does
        ProcessFacts& f = fact(name);
        f.start_issued = true;
        f.state = State::Starting;
        f.spawned = true;
        f.ready = f.healthy = f.completed = false;
    }
    void signalled(const std::string& name) {  // what carrying out stop_now does
        ProcessFacts& f = fact(name);
        f.stop_issued = true;
        f.state = State::Stopping;
    }
    void ended(const std::string& name, State state) {  // STOPPED, EXITED, FATAL
        ProcessFacts& f = fact(name);
        f.state = state;
        f.spawned = f.ready = f.healthy = false;
    }
    void completed(const std::string& name) {
        ended(name, State::Exited);
        fact(name).completed = true;
    }

    Plan plan_now() const { return plan(graph_, facts_); }
    // Plans, then carries out what it says, as the supervisor would.
    Plan step() {
        Plan p = plan_now();
        for (std::size_t i : p.stop_now)
            signalled(specs_[i].display_name());
        for (std::size_t i : p.start_now)
            spawned(specs_[i].display_name());
        return p;
    }

    std::vector<config::ProcessSpec> specs_;
    config::DependencyGraph graph_;
    std::vector<ProcessFacts> facts_;

  private:
    void add_spec(const std::string& name, const std::string& group,
                  std::vector<config::Dependency> depends_on, int priority,
                  config::ProgramType type) {
        auto program = std::make_shared<config::ProgramConfig>();
        program->name = name;
        program->depends_on = std::move(depends_on);
        program->priority = priority;
        program->type = type;
        specs_.push_back(config::ProcessSpec{name, group, 0, program, priority});
    }

    std::unordered_map<std::string, std::size_t> ids_;  // by display name

    static void request_one(ProcessFacts& f, Goal goal) {
        f.goal = goal;
        f.stop_issued = f.start_issued = false;
    }
};

}  // namespace superv::core::test

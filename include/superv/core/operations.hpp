// Operations on sets of processes, planned by the dependency graph
// (planner.hpp): each is advanced after every round of events, carries out
// what the plan allows now (a stop wave, a start batch), and finishes when
// every member has settled; its `done` then gets one result per member.
#pragma once

#include <optional>
#include <vector>

#include "superv/config/dependencies.hpp"
#include "superv/core/planner.hpp"
#include "superv/core/supervisor.hpp"

namespace superv::core {

class Supervisor::Operation {
  public:
    Operation(Supervisor& sup, std::vector<Member> members, OperationDone done);

    // Carries out what may happen now; true once every member has settled.
    bool advance();
    // Calls `done` with every member's result.
    void finish();

  private:
    // Graph index of each member with its goal; also what `start` needs and
    // what needs what `stop` or `replace` takes down (planner.hpp).
    void expand(const std::vector<Member>& members);
    static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
    // The graph index of a process of the table, or kNoIndex.
    std::size_t index_of(ProcessId id) const;
    void refresh();
    bool carry_out(const Plan& plan);
    void describe_waits(const Plan& plan);
    bool settled(std::size_t index) const;
    bool member_ok(std::size_t index, const Process& p) const;

    Supervisor& sup_;
    OperationDone done_;
    config::DependencyGraph graph_;
    std::vector<ProcessId> ids_;              // by graph index: every process in the table
    std::vector<std::size_t> index_of_slot_;  // by table slot: graph index or kNoIndex
    std::vector<ProcessFacts> facts_;
    std::vector<std::optional<config::ProcessSpec>> respec_;  // new specs for Replace members
    std::vector<bool> blocked_;
    std::vector<std::size_t> members_;  // graph indices, in the order results are given
};

}  // namespace superv::core

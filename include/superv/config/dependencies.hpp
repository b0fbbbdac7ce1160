// The start order of processes: `depends_on` resolved from programs and
// groups to processes (a target with numprocs > 1, or a group, means every
// process of it). Pure and linear in processes + edges, so the daemon can
// rebuild it on every load, `update` and `reload`.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "superv/config/config.hpp"
#include "superv/config/processes.hpp"

namespace superv::config {

class DependencyGraph {
  public:
    // One dependency between two processes. In needs(i), `process` is what
    // i needs; in needed_by(i), `process` is what needs i.
    struct Edge {
        std::size_t process;  // an index of the graph
        // What must hold in the needed process, as the runtime checks it: the
        // entry's condition, except that `ready` on a oneshot is `completed`
        // (a oneshot is ready once done, as systemd's Type=oneshot).
        Condition condition;
        // The dependent's `depends_on` entry this comes from, e.g. to say
        // "waiting for db (ready)" with the target as written.
        std::size_t entry;
    };

    DependencyGraph() = default;
    // The processes keep their indices (expand_processes() order). A target
    // that names nothing, and an edge from a program to itself, are left out:
    // the loader refuses both.
    explicit DependencyGraph(std::span<const ProcessSpec> processes);
    explicit DependencyGraph(const Config& config);  // of expand_processes(config)

    std::size_t size() const { return names_.size(); }
    const std::string& name(std::size_t process) const { return names_[process]; }  // GROUP:NAME
    std::optional<std::size_t> find(std::string_view full_name) const;

    // In `depends_on` order, then the target's processes in order; a
    // (process, condition) pair appears once.
    std::span<const Edge> needs(std::size_t process) const;
    std::span<const Edge> needed_by(std::size_t process) const;

    // 0 for a process that needs nothing, else 1 + the greatest depth of
    // what it needs; processes of one depth never need one another.
    std::size_t depth(std::size_t process) const { return depth_[process]; }

    // By depth, then by index: every process after everything it needs (a
    // start order; reversed, a stop order). A process on a cycle, or needing
    // one, is left out (a loaded config has none).
    std::span<const std::size_t> order() const { return order_; }
    bool acyclic() const { return order_.size() == size(); }

    // One cycle, each process needing the next and the last the first;
    // empty when there is none.
    std::vector<std::size_t> cycle() const;

    // `roots` and everything they need, transitively, in order(): what
    // `start X` starts, dependencies first.
    std::vector<std::size_t> with_requirements(std::span<const std::size_t> roots) const;
    // `roots` and everything that needs them, transitively, in reverse
    // order(): what `stop X` stops, dependents first.
    std::vector<std::size_t> with_dependents(std::span<const std::size_t> roots) const;

  private:
    std::vector<bool> reach(std::span<const std::size_t> roots,
                            std::span<const Edge> (DependencyGraph::*next)(std::size_t)
                                const) const;
    void build_order();

    std::vector<std::string> names_;
    std::unordered_map<std::string, std::size_t> index_;
    // Compressed rows: the edges of process i are [offsets[i], offsets[i + 1]).
    std::vector<std::size_t> needs_offsets_{0}, needed_by_offsets_{0};
    std::vector<Edge> needs_, needed_by_;
    std::vector<std::size_t> depth_;
    std::vector<std::size_t> order_;
};

}  // namespace superv::config

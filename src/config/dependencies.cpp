#include "superv/config/dependencies.hpp"

#include <algorithm>
#include <iterator>

namespace superv::config {
namespace {

constexpr std::size_t kConditionCount = std::size(kConditions);

// Program name -> its processes, and group name -> its processes: what a
// `depends_on` target means.
struct Targets {
    std::unordered_map<std::string, std::vector<std::size_t>> programs, groups;

    explicit Targets(std::span<const ProcessSpec> processes) {
        programs.reserve(processes.size());
        groups.reserve(processes.size());
        for (std::size_t i = 0; i < processes.size(); ++i) {
            programs[processes[i].program->name].push_back(i);
            groups[processes[i].group].push_back(i);
        }
    }

    // A program's name wins over a group's: [groups.web] may list program web.
    const std::vector<std::size_t>* find(const std::string& target) const {
        if (auto program = programs.find(target); program != programs.end())
            return &program->second;
        if (auto group = groups.find(target); group != groups.end()) return &group->second;
        return nullptr;
    }
};

Condition as_checked(Condition condition, const ProgramConfig& target) {
    if (condition == Condition::Ready && target.type == ProgramType::Oneshot) {
        return Condition::Completed;
    }
    return condition;
}

}  // namespace

DependencyGraph::DependencyGraph(const Config& config)
    : DependencyGraph(std::span<const ProcessSpec>(expand_processes(config))) {}

DependencyGraph::DependencyGraph(std::span<const ProcessSpec> processes) {
    const std::size_t n = processes.size();
    names_.reserve(n);
    index_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        names_.push_back(processes[i].full_name());
        index_.emplace(names_.back(), i);
    }
    const Targets targets(processes);
    // seen[target * kConditionCount + condition] == i + 1: process i already
    // has that edge. One array for all, so the build stays linear.
    std::vector<std::size_t> seen(n * kConditionCount, 0);
    std::vector<std::size_t> in_count(n, 0);
    needs_offsets_.reserve(n + 1);
    for (std::size_t i = 0; i < n; ++i) {
        const ProgramConfig& program = *processes[i].program;
        for (std::size_t entry = 0; entry < program.depends_on.size(); ++entry) {
            const Dependency& dependency = program.depends_on[entry];
            const std::vector<std::size_t>* found = targets.find(dependency.target);
            if (!found) continue;
            for (std::size_t target : *found) {
                const ProgramConfig& needed = *processes[target].program;
                if (needed.name == program.name) continue;
                const Condition condition = as_checked(dependency.condition, needed);
                std::size_t& mark =
                    seen[target * kConditionCount + static_cast<std::size_t>(condition)];
                if (mark == i + 1) continue;
                mark = i + 1;
                needs_.push_back(Edge{target, condition, entry});
                ++in_count[target];
            }
        }
        needs_offsets_.push_back(needs_.size());
    }
    // The reverse rows, by counting: needed_by(j) lists dependents in index order.
    needed_by_offsets_.assign(n + 1, 0);
    for (std::size_t j = 0; j < n; ++j)
        needed_by_offsets_[j + 1] = needed_by_offsets_[j] + in_count[j];
    needed_by_.resize(needs_.size());
    std::vector<std::size_t> fill(needed_by_offsets_.begin(), needed_by_offsets_.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
        for (const Edge& edge : needs(i))
            needed_by_[fill[edge.process]++] = Edge{i, edge.condition, edge.entry};
    }
    build_order();
}

std::optional<std::size_t> DependencyGraph::find(std::string_view full_name) const {
    auto found = index_.find(std::string(full_name));
    if (found == index_.end()) return std::nullopt;
    return found->second;
}

std::span<const DependencyGraph::Edge> DependencyGraph::needs(std::size_t process) const {
    return std::span(needs_).subspan(needs_offsets_[process],
                                     needs_offsets_[process + 1] - needs_offsets_[process]);
}

std::span<const DependencyGraph::Edge> DependencyGraph::needed_by(std::size_t process) const {
    return std::span(needed_by_)
        .subspan(needed_by_offsets_[process],
                 needed_by_offsets_[process + 1] - needed_by_offsets_[process]);
}

// Kahn's algorithm from the processes that need nothing; what is left
// unreached is on a cycle or needs one.
void DependencyGraph::build_order() {
    const std::size_t n = size();
    depth_.assign(n, 0);
    std::vector<std::size_t> waiting(n);
    std::vector<std::size_t> reached;
    reached.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        waiting[i] = needs(i).size();
        if (waiting[i] == 0) reached.push_back(i);
    }
    std::size_t max_depth = 0;
    for (std::size_t next = 0; next < reached.size(); ++next) {
        const std::size_t done = reached[next];
        for (const Edge& edge : needed_by(done)) {
            depth_[edge.process] = std::max(depth_[edge.process], depth_[done] + 1);
            if (--waiting[edge.process] == 0) reached.push_back(edge.process);
        }
        max_depth = std::max(max_depth, depth_[done]);
    }
    // By depth, then index: a counting sort, linear again.
    std::vector<std::size_t> start(max_depth + 2, 0);
    std::vector<bool> in_order(n, false);
    for (std::size_t i : reached) {
        in_order[i] = true;
        ++start[depth_[i] + 1];
    }
    for (std::size_t d = 1; d < start.size(); ++d)
        start[d] += start[d - 1];
    order_.assign(reached.size(), 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (in_order[i]) order_[start[depth_[i]]++] = i;
    }
}

std::vector<std::size_t> DependencyGraph::cycle() const {
    if (acyclic()) return {};
    std::vector<bool> ordered(size(), false);
    for (std::size_t i : order_)
        ordered[i] = true;
    // Every process left out needs at least one other left out (else Kahn
    // would have reached it), so following such needs must come round.
    std::size_t at = 0;
    while (ordered[at])
        ++at;
    constexpr std::size_t kUnvisited = static_cast<std::size_t>(-1);
    std::vector<std::size_t> step(size(), kUnvisited);  // where `at` was on the walk
    std::vector<std::size_t> walk;
    while (step[at] == kUnvisited) {
        step[at] = walk.size();
        walk.push_back(at);
        for (const Edge& edge : needs(at)) {
            if (!ordered[edge.process]) {
                at = edge.process;
                break;
            }
        }
    }
    return {walk.begin() + static_cast<std::ptrdiff_t>(step[at]), walk.end()};
}

std::vector<bool> DependencyGraph::reach(std::span<const std::size_t> roots,
                                         std::span<const Edge> (DependencyGraph::*next)(std::size_t)
                                             const) const {
    std::vector<bool> reached(size(), false);
    std::vector<std::size_t> todo;
    for (std::size_t root : roots) {
        if (root < size() && !reached[root]) {
            reached[root] = true;
            todo.push_back(root);
        }
    }
    while (!todo.empty()) {
        const std::size_t at = todo.back();
        todo.pop_back();
        for (const Edge& edge : (this->*next)(at)) {
            if (!reached[edge.process]) {
                reached[edge.process] = true;
                todo.push_back(edge.process);
            }
        }
    }
    return reached;
}

std::vector<std::size_t> DependencyGraph::with_requirements(
    std::span<const std::size_t> roots) const {
    const std::vector<bool> reached = reach(roots, &DependencyGraph::needs);
    std::vector<std::size_t> out;
    for (std::size_t i : order_) {
        if (reached[i]) out.push_back(i);
    }
    return out;
}

std::vector<std::size_t> DependencyGraph::with_dependents(
    std::span<const std::size_t> roots) const {
    const std::vector<bool> reached = reach(roots, &DependencyGraph::needed_by);
    std::vector<std::size_t> out;
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
        if (reached[*it]) out.push_back(*it);
    }
    return out;
}

}  // namespace superv::config

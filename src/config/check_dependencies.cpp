// `depends_on` across the whole config (every file read): each target names
// a program or a group, no program needs itself, each condition can hold in
// its target, and the programs form no cycle. On programs, not processes: a
// dependency means every process of the target, so the processes have a
// cycle exactly when the programs do.
#include <algorithm>
#include <unordered_map>

#include "tables.hpp"

namespace superv::config::detail {
namespace {

// One program needing another through a `depends_on` entry.
struct Edge {
    std::size_t to;
    std::size_t entry;           // in the dependent's depends_on
    const std::string* through;  // the group the entry named, or nullptr
};

class DependencyCheck {
  public:
    DependencyCheck(const std::vector<ProgramConfig>& programs,
                    const std::vector<GroupDraft>& groups, Diagnostics& diag)
        : programs_(programs), groups_(groups), diag_(diag), edges_(programs.size()) {
        for (std::size_t i = 0; i < programs.size(); ++i)
            program_index_.emplace(programs[i].name, i);
        for (const GroupDraft& group : groups) {
            std::vector<std::size_t>& members = group_members_[group.config.name];
            for (const std::string& member : group.config.programs) {
                auto found = program_index_.find(member);
                if (found != program_index_.end()) members.push_back(found->second);
            }
        }
    }

    void run() {
        for (std::size_t from = 0; from < programs_.size(); ++from) {
            const auto& entries = programs_[from].depends_on;
            for (std::size_t entry = 0; entry < entries.size(); ++entry)
                resolve(from, entry);
        }
        find_cycles();
    }

  private:
    void resolve(std::size_t from, std::size_t entry) {
        const ProgramConfig& program = programs_[from];
        const Dependency& dependency = program.depends_on[entry];
        if (auto found = program_index_.find(dependency.target); found != program_index_.end()) {
            if (found->second == from) {
                diag_.error(dependency.pos,
                            "program " + quote(program.name) + " depends on itself");
                return;
            }
            check_condition(dependency, {found->second}, nullptr);
            edges_[from].push_back(Edge{found->second, entry, nullptr});
            return;
        }
        auto group = group_members_.find(dependency.target);
        if (group == group_members_.end()) {
            unknown_target(program, dependency);
            return;
        }
        std::vector<std::size_t> members;
        for (std::size_t member : group->second) {
            if (member != from) members.push_back(member);
        }
        if (members.size() != group->second.size()) {
            diag_.error(dependency.pos, "program " + quote(program.name) + " depends on group " +
                                            quote(group->first) + ", which it is in");
        }
        check_condition(dependency, members, &group->first);
        for (std::size_t member : members)
            edges_[from].push_back(Edge{member, entry, &group->first});
    }

    void unknown_target(const ProgramConfig& program, const Dependency& dependency) {
        std::vector<std::string_view> names;
        for (const ProgramConfig& other : programs_)
            names.push_back(other.name);
        for (const GroupDraft& group : groups_)
            names.push_back(group.config.name);
        const std::string hint = dependency.target.find(':') != std::string::npos
                                     ? " (a target is a program or a group, not a process)"
                                     : did_you_mean(dependency.target, names);
        diag_.error(dependency.pos, "program " + quote(program.name) + " depends on " +
                                        quote(dependency.target) +
                                        ", which is not a program or a group" + hint);
    }

    // `completed` holds only in a oneshot, `running` and `healthy` never in
    // one (it is STARTING until it exits); `ready` in a oneshot means done;
    // `healthy` needs a health check.
    void check_condition(const Dependency& dependency, const std::vector<std::size_t>& targets,
                         const std::string* group) {
        const Condition condition = dependency.condition;
        const bool wants_oneshot = condition == Condition::Completed;
        if (!wants_oneshot && condition != Condition::Running && condition != Condition::Healthy) {
            return;
        }
        std::vector<std::string> wrong;
        std::vector<std::string> unchecked;  // `healthy` on a program without a health check
        std::string unchecked_name;          // the last of them, unquoted
        for (std::size_t target : targets) {
            const ProgramConfig& program = programs_[target];
            const bool oneshot = program.type == ProgramType::Oneshot;
            if (oneshot != wants_oneshot) {
                wrong.push_back(quote(program.name));
            } else if (condition == Condition::Healthy &&
                       program.healthcheck.kind == HealthCheck::Kind::None) {
                unchecked.push_back(quote(program.name));
                unchecked_name = program.name;
            }
        }
        if (!wrong.empty()) {
            const bool many = wrong.size() > 1;
            std::string message = never_holds(dependency, group, wrong);
            if (wants_oneshot) {
                message += (many ? " are not oneshots" : " is not a oneshot") +
                           std::string(
                               " (type = \"oneshot\"); use \"ready\", \"running\" or "
                               "\"started\"");
            } else {
                message += many ? " are oneshots" : " is a oneshot";
                message += ", never RUNNING; use \"completed\" or \"started\"";
            }
            diag_.error(dependency.pos, message);
        }
        if (!unchecked.empty()) {
            const std::string table = unchecked.size() > 1
                                          ? "each a [programs.NAME.healthcheck]"
                                          : "it a [programs." + unchecked_name + ".healthcheck]";
            diag_.error(dependency.pos, never_holds(dependency, group, unchecked) +
                                            (unchecked.size() > 1 ? " have" : " has") +
                                            " no health check; give " + table +
                                            " or use \"ready\"");
        }
    }

    // "condition \"healthy\" on group \"data\" never holds: its members \"a\" and \"b\""
    static std::string never_holds(const Dependency& dependency, const std::string* group,
                                   const std::vector<std::string>& names) {
        std::string list = names.front();
        for (std::size_t i = 1; i < names.size(); ++i)
            list += (i + 1 == names.size() ? " and " : ", ") + names[i];
        std::string message = "condition " + quote(condition_name(dependency.condition)) + " on " +
                              (group ? "group " : "") + quote(dependency.target) + " never holds: ";
        message += group ? (names.size() > 1 ? "its members " : "its member ") : "program ";
        return message + list;
    }

    // Depth-first in file order, without recursion (chains may be thousands
    // deep). Every cycle has a back edge, and each back edge is reported
    // once, at the entry that closes the cycle: O(programs + edges).
    void find_cycles() {
        enum Mark : unsigned char { kUnseen, kOnPath, kDone };
        std::vector<Mark> mark(programs_.size(), kUnseen);
        std::vector<std::size_t> depth(programs_.size());  // on the path: its index in `path`
        struct Frame {
            std::size_t program;
            std::size_t next_edge;
        };
        std::vector<Frame> path;
        for (std::size_t root = 0; root < programs_.size(); ++root) {
            if (mark[root] != kUnseen) continue;
            mark[root] = kOnPath;
            path.push_back({root, 0});
            while (!path.empty()) {
                Frame& frame = path.back();
                if (frame.next_edge == edges_[frame.program].size()) {
                    mark[frame.program] = kDone;
                    path.pop_back();
                    continue;
                }
                const Edge& edge = edges_[frame.program][frame.next_edge++];
                if (mark[edge.to] == kOnPath) {
                    report_cycle(path, depth[edge.to], frame.program, edge);
                } else if (mark[edge.to] == kUnseen) {
                    mark[edge.to] = kOnPath;
                    depth[edge.to] = path.size();
                    path.push_back({edge.to, 0});
                }
            }
        }
    }

    template <class Path>
    void report_cycle(const Path& path, std::size_t start, std::size_t from, const Edge& closing) {
        std::string cycle;
        std::vector<const std::string*> groups;
        auto note_group = [&](const std::string* group) {
            if (group && std::find(groups.begin(), groups.end(), group) == groups.end()) {
                groups.push_back(group);
            }
        };
        for (std::size_t i = start; i < path.size(); ++i) {
            cycle += programs_[path[i].program].name + " -> ";
            // The edge this frame followed is the one before its cursor.
            if (i + 1 < path.size())
                note_group(edges_[path[i].program][path[i].next_edge - 1].through);
        }
        note_group(closing.through);
        cycle += programs_[closing.to].name;
        std::string via;
        for (const std::string* group : groups)
            via += (via.empty() ? " (through group " : ", group ") + quote(*group);
        if (!via.empty()) via += ")";
        diag_.error(programs_[from].depends_on[closing.entry].pos,
                    "dependency cycle: " + cycle + via);
    }

    const std::vector<ProgramConfig>& programs_;
    const std::vector<GroupDraft>& groups_;
    Diagnostics& diag_;
    std::unordered_map<std::string, std::size_t> program_index_;
    std::unordered_map<std::string, std::vector<std::size_t>> group_members_;
    std::vector<std::vector<Edge>> edges_;  // by program
};

}  // namespace

void check_dependencies(const std::vector<ProgramConfig>& programs,
                        const std::vector<GroupDraft>& groups, Diagnostics& diag) {
    DependencyCheck(programs, groups, diag).run();
}

}  // namespace superv::config::detail

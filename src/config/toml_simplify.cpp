#include "toml_simplify.hpp"

#include <algorithm>
#include <set>

#include "superv/config/processes.hpp"
#include "tables.hpp"

namespace superv::config::detail {
namespace {

// "web" for "web_03"; "" when `name` does not end in "_" and digits.
std::string numbered_base(const std::string& name) {
    const std::size_t underscore = name.rfind('_');
    if (underscore == std::string::npos || underscore == 0 || underscore + 1 == name.size()) {
        return {};
    }
    const bool digits = std::all_of(name.begin() + static_cast<std::ptrdiff_t>(underscore) + 1,
                                    name.end(), [](char c) { return c >= '0' && c <= '9'; });
    return digits ? name.substr(0, underscore) : std::string();
}

bool same_but_name(const ProgramConfig& a, const ProgramConfig& b) {
    ProgramConfig renamed = b;
    renamed.name = a.name;
    return a.same_options(renamed);
}

// A name the folded program may take: no other program or group has it.
bool name_is_free(const Config& config, const std::string& name, const GroupConfig& group,
                  const std::set<std::string>& members) {
    for (const ProgramConfig& program : config.programs) {
        if (program.name == name && !members.count(name)) return false;
    }
    for (const GroupConfig& other : config.groups) {
        if (other.name == name && &other != &group) return false;
    }
    return true;
}

// Folding renames the members, so a `depends_on` naming one would dangle.
bool is_a_target(const Config& config, const std::set<std::string>& members) {
    for (const ProgramConfig& program : config.programs) {
        for (const Dependency& dependency : program.depends_on) {
            if (members.count(dependency.target)) return true;
        }
    }
    return false;
}

// Folds `group`'s members into one program when they qualify.
void fold_group(Config& config, GroupConfig& group) {
    if (group.programs.size() < 2 || group.programs.size() > kMaxNumprocs) return;
    const std::set<std::string> members(group.programs.begin(), group.programs.end());
    auto first = std::find_if(config.programs.begin(), config.programs.end(),
                              [&](const ProgramConfig& p) { return members.count(p.name) > 0; });
    const auto count = static_cast<std::ptrdiff_t>(group.programs.size());
    if (config.programs.end() - first < count) return;

    ProgramConfig folded = *first;
    folded.name = numbered_base(first->name);
    folded.numprocs = static_cast<int>(count);
    if (folded.name.empty() || folded.name == "all" || first->numprocs != 1) return;
    for (std::ptrdiff_t i = 0; i < count; ++i) {
        const ProgramConfig& member = first[i];
        if (member.numprocs != 1 || !members.count(member.name) ||
            member.name != process_name(folded, static_cast<int>(i)) ||
            !same_but_name(*first, member)) {
            return;
        }
    }
    if (!name_is_free(config, folded.name, group, members) || is_a_target(config, members)) return;

    group.programs = {folded.name};
    const auto at = config.programs.erase(first, first + count);
    config.programs.insert(at, std::move(folded));
}

}  // namespace

Config simplify_for_writing(Config config) {
    for (GroupConfig& group : config.groups)
        fold_group(config, group);
    std::erase_if(config.groups, [](const GroupConfig& group) {
        return group.programs.size() == 1 && group.programs.front() == group.name &&
               !group.priority;
    });
    return config;
}

}  // namespace superv::config::detail

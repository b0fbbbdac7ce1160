#include "superv/config/diff.hpp"

#include <unordered_map>

namespace superv::config {

ProcessDiff diff_processes(const std::vector<ProcessSpec>& running,
                           const std::vector<ProcessSpec>& wanted) {
    std::unordered_map<std::string, const ProcessSpec*> before;
    for (const auto& spec : running)
        before.emplace(spec.full_name(), &spec);

    ProcessDiff diff;
    std::unordered_map<std::string, bool> seen;
    for (const auto& spec : wanted) {
        const std::string name = spec.full_name();
        seen[name] = true;
        auto it = before.find(name);
        if (it == before.end()) {
            diff.added.push_back(spec);
        } else if (!it->second->program->same_options(*spec.program)) {
            diff.changed.push_back(spec);
        } else {
            diff.unchanged.push_back(name);
        }
    }
    for (const auto& spec : running) {
        if (!seen.count(spec.full_name())) diff.removed.push_back(spec.full_name());
    }
    return diff;
}

}  // namespace superv::config

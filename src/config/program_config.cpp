#include <algorithm>

#include "superv/config/config.hpp"

namespace superv::config {
namespace {

// Reordering or moving `depends_on` entries changes nothing the runtime
// does, so `update` must not restart the program for it.
void normalise_dependencies(std::vector<Dependency>& dependencies) {
    for (Dependency& dependency : dependencies)
        dependency.pos = {};
    std::sort(dependencies.begin(), dependencies.end(),
              [](const Dependency& a, const Dependency& b) {
                  return a.target != b.target ? a.target < b.target : a.condition < b.condition;
              });
}

}  // namespace

std::string_view condition_name(Condition condition) {
    switch (condition) {
        case Condition::Started:
            return "started";
        case Condition::Running:
            return "running";
        case Condition::Ready:
            return "ready";
        case Condition::Healthy:
            return "healthy";
        case Condition::Completed:
            break;
    }
    return "completed";
}

bool ProgramConfig::same_options(const ProgramConfig& other) const {
    ProgramConfig a = *this;
    ProgramConfig b = other;
    a.pos = {};
    b.pos = {};
    normalise_dependencies(a.depends_on);
    normalise_dependencies(b.depends_on);
    return a == b;
}

}  // namespace superv::config

// Selectors as supervisorctl users write them: NAME, GROUP:*, GROUP:NAME, all.
// A bare NAME that is no process name but a group name selects the group.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace superv::control {

struct Named {
    std::string name;
    std::string group;
};

struct Selection {
    std::vector<std::size_t> indices;  // into the table, in table order, no duplicates
    std::vector<std::string> unknown;  // selectors that matched nothing
};

Selection select_processes(const std::vector<Named>& table,
                           const std::vector<std::string>& selectors);

}  // namespace superv::control

// What `superv update` changes: the processes of the new config compared with
// the running ones by full name (group:name). A process whose program has any
// option changed is restarted; one that moved to another group is removed and
// added under its new name.
#pragma once

#include <string>
#include <vector>

#include "superv/config/processes.hpp"

namespace superv::config {

struct ProcessDiff {
    std::vector<ProcessSpec> added;      // new processes
    std::vector<std::string> removed;    // full names that are gone
    std::vector<ProcessSpec> changed;    // the new spec of processes whose options changed
    std::vector<std::string> unchanged;  // full names kept as they are
};

ProcessDiff diff_processes(const std::vector<ProcessSpec>& running,
                           const std::vector<ProcessSpec>& wanted);

}  // namespace superv::config

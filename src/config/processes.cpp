#include "superv/config/processes.hpp"

#include <map>

namespace superv::config {

std::string process_name(const ProgramConfig& program, int index) {
    if (program.numprocs == 1) return program.name;
    std::size_t width = std::max<std::size_t>(2, std::to_string(program.numprocs - 1).size());
    std::string number = std::to_string(index);
    return program.name + "_" + std::string(width - std::min(width, number.size()), '0') + number;
}

std::vector<ProcessSpec> expand_processes(const Config& config) {
    std::map<std::string, std::string> group_of;  // program name -> [groups.X] name
    for (const GroupConfig& group : config.groups) {
        for (const std::string& member : group.programs)
            group_of.emplace(member, group.name);
    }

    std::vector<ProcessSpec> processes;
    for (const ProgramConfig& program : config.programs) {
        auto shared = std::make_shared<const ProgramConfig>(program);
        auto in_group = group_of.find(program.name);
        std::string group = in_group == group_of.end() ? program.name : in_group->second;
        for (int index = 0; index < program.numprocs; ++index) {
            processes.push_back(ProcessSpec{process_name(program, index), group, index, shared});
        }
    }
    return processes;
}

std::string display_name(const std::string& full_name) {
    const auto colon = full_name.find(':');
    if (colon == std::string::npos) return full_name;
    const std::string_view group(full_name.data(), colon),
        name = std::string_view(full_name).substr(colon + 1);
    return group == name ? std::string(name) : full_name;
}

}  // namespace superv::config

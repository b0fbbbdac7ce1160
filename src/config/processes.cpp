#include "superv/config/processes.hpp"

#include <map>

namespace superv::config {

std::string process_name(const ProgramConfig& program, int index) {
    if (program.numprocs == 1) return program.name;
    std::size_t width = std::max<std::size_t>(2, std::to_string(program.numprocs - 1).size());
    std::string number = std::to_string(index);
    return program.name + "_" + std::string(width - std::min(width, number.size()), '0') + number;
}

std::string server_url(const HttpListener& listener) {
    if (listener.kind == HttpListener::Kind::Unix) return "unix://" + listener.path;
    std::string host = listener.host.empty() || listener.host == "*" ? "localhost" : listener.host;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";  // IPv6, as in RFC 3986
    return "http://" + host + ":" + std::to_string(listener.port);
}

std::vector<ProcessSpec> expand_processes(const Config& config) {
    std::map<std::string, const GroupConfig*> group_of;  // program name -> its [groups.X]
    for (const GroupConfig& group : config.groups) {
        for (const std::string& member : group.programs)
            group_of.emplace(member, &group);
    }
    const std::string default_url =
        config.daemon.http.empty() ? std::string() : server_url(config.daemon.http.front());

    std::vector<ProcessSpec> processes;
    for (const ProgramConfig& program : config.programs) {
        auto merged = std::make_shared<ProgramConfig>(program);
        // insert() keeps the program's own value of a shared key.
        merged->environment.insert(config.daemon.environment.begin(),
                                   config.daemon.environment.end());
        if (merged->serverurl.empty()) merged->serverurl = default_url;
        std::shared_ptr<const ProgramConfig> shared = std::move(merged);
        auto in_group = group_of.find(program.name);
        const GroupConfig* group = in_group == group_of.end() ? nullptr : in_group->second;
        const std::string group_name = group ? group->name : program.name;
        const int priority = group && group->priority ? *group->priority : program.priority;
        for (int index = 0; index < program.numprocs; ++index) {
            processes.push_back(
                ProcessSpec{process_name(program, index), group_name, index, shared, priority});
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

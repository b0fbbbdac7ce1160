#include "superv/sys/spawn_plan.hpp"

#include <sys/capability.h>

#include <string_view>

namespace superv::sys::detail {

namespace {

constexpr const char* kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

// execve takes char* const[] but never writes through it.
std::vector<char*> c_array(const std::vector<std::string>& strings) {
    std::vector<char*> array;
    array.reserve(strings.size() + 1);
    for (const std::string& s : strings)
        array.push_back(const_cast<char*>(s.c_str()));
    array.push_back(nullptr);
    return array;
}

}  // namespace

std::vector<std::string> exec_candidates(const std::string& name, const std::string& path) {
    if (name.find('/') != std::string::npos) return {name};
    // An empty name is not looked up: execve("") fails with ENOENT, as
    // execvp("") does.
    if (name.empty()) return {name};
    std::vector<std::string> candidates;
    std::string_view rest = path;
    for (;;) {
        const std::size_t colon = rest.find(':');
        const std::string_view dir = rest.substr(0, colon);
        candidates.push_back(dir.empty() ? name : std::string(dir) + "/" + name);
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    return candidates;
}

std::string lookup_path(const SpawnRequest& request, const char* superv_path) {
    constexpr std::string_view kPrefix = "PATH=";
    for (const std::string& entry : request.env) {
        if (entry.compare(0, kPrefix.size(), kPrefix) == 0) return entry.substr(kPrefix.size());
    }
    return superv_path != nullptr ? superv_path : kDefaultPath;
}

ExecPlan::ExecPlan(const SpawnRequest& request, const char* superv_path)
    : argv_(c_array(request.argv)), envp_(c_array(request.env)) {
    if (!request.argv.empty()) {
        paths_ = exec_candidates(request.argv.front(), lookup_path(request, superv_path));
    }
    path_ptrs_.reserve(paths_.size());
    for (const std::string& p : paths_)
        path_ptrs_.push_back(p.c_str());
}

ChildPlan ExecPlan::child_plan(const SpawnRequest& request) const {
    ChildPlan plan;
    plan.argv = argv_.data();
    plan.envp = envp_.data();
    plan.exec_paths = path_ptrs_.data();
    plan.exec_path_count = path_ptrs_.size();
    plan.stdio[0] = request.stdin_fd;
    plan.stdio[1] = request.stdout_fd;
    plan.stdio[2] = request.stderr_fd;
    plan.extra_source = request.extra_fd.source;
    plan.extra_target = request.extra_fd.target;
    plan.set_umask = request.umask.has_value();
    plan.umask = request.umask.value_or(0);
    plan.directory = request.directory.empty() ? nullptr : request.directory.c_str();
    plan.set_groups = request.supplementary_groups.has_value();
    if (plan.set_groups) {
        plan.groups = request.supplementary_groups->data();
        plan.group_count = request.supplementary_groups->size();
    }
    plan.set_gid = request.gid.has_value();
    plan.gid = request.gid.value_or(0);
    plan.set_uid = request.uid.has_value();
    plan.uid = request.uid.value_or(0);
    plan.limits = request.rlimits.data();
    plan.limit_count = request.rlimits.size();
    plan.set_capabilities = request.capabilities.has_value();
    plan.capabilities = request.capabilities.value_or(0);
    // libcap reads /proc/sys/kernel/cap_last_cap once; the child cannot.
    plan.last_capability = static_cast<int>(cap_max_bits()) - 1;
    plan.no_new_privs = request.no_new_privs;
    plan.foreground_tty = request.foreground_tty;
    return plan;
}

}  // namespace superv::sys::detail

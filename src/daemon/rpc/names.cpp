// supervisord's process names and orders (options.split_namespec,
// make_namespec, rpcinterface._getAllProcesses) over superv's table.
#include <algorithm>
#include <map>

#include "rpc.hpp"
#include "superv/daemon/daemon_loop.hpp"

namespace superv::daemon::rpc {

namespace {

// A group's priority as supervisord orders groups: a [group:x]'s own (999
// unless set), else (a program's own group) the program's priority.
int group_priority(const DaemonLoop& daemon, const core::Process& p) {
    for (const config::GroupConfig& g : daemon.config().groups) {
        if (g.name == p.spec.group) return g.priority.value_or(999);
    }
    return p.spec.program->priority;
}

std::vector<core::Process*> table(DaemonLoop& daemon) {
    std::vector<core::Process*> out;
    for (core::ProcessId id : daemon.supervisor().all())
        out.push_back(daemon.supervisor().find(id));
    return out;
}

}  // namespace

std::string namespec(const core::Process& p) {
    return p.spec.group == p.spec.name ? p.spec.name : p.spec.group + ":" + p.spec.name;
}

std::vector<core::Process*> all_processes(DaemonLoop& daemon, bool lexical) {
    std::vector<core::Process*> out = table(daemon);
    if (lexical) {
        std::stable_sort(out.begin(), out.end(),
                         [](const core::Process* a, const core::Process* b) {
                             return std::tie(a->spec.group, a->spec.name) <
                                    std::tie(b->spec.group, b->spec.name);
                         });
        return out;
    }
    // Groups in priority order (stable: table order among equals), and the
    // processes of each group in their programs' priority order.
    std::map<std::string, std::size_t> first_seen;
    for (const core::Process* p : out)
        first_seen.emplace(p->spec.group, first_seen.size());
    std::stable_sort(out.begin(), out.end(), [&](const core::Process* a, const core::Process* b) {
        const int ga = group_priority(daemon, *a), gb = group_priority(daemon, *b);
        if (ga != gb) return ga < gb;
        const auto fa = first_seen[a->spec.group], fb = first_seen[b->spec.group];
        if (fa != fb) return fa < fb;
        return a->spec.program->priority < b->spec.program->priority;
    });
    return out;
}

std::variant<Target, Fault> resolve(DaemonLoop& daemon, std::string_view name) {
    Target target;
    std::string process;
    if (const auto colon = name.find(':'); colon != std::string_view::npos) {
        target.group = std::string(name.substr(0, colon));
        process = std::string(name.substr(colon + 1));
        target.whole_group = process.empty() || process == "*";
    } else {
        target.group = process = std::string(name);
    }
    bool group_found = false;
    for (core::Process* p : all_processes(daemon, false)) {
        if (p->spec.group != target.group) continue;
        group_found = true;
        if (target.whole_group || p->spec.name == process) target.processes.push_back(p);
    }
    if (!group_found || target.processes.empty()) return fault(kBadName, name);
    return target;
}

std::variant<core::Process*, Fault> one_process(DaemonLoop& daemon, std::string_view name) {
    auto target = resolve(daemon, name);
    if (auto* f = std::get_if<Fault>(&target)) return *f;
    const Target& t = std::get<Target>(target);
    if (t.whole_group) return fault(kBadName, name);
    return t.processes.front();
}

Value result_struct(const core::Process& p, int status, std::string_view description) {
    return Struct{{"name", p.spec.name},
                  {"group", p.spec.group},
                  {"status", status},
                  {"description", std::string(description)}};
}

Value success_struct(const core::Process& p) {
    return result_struct(p, kSuccess, "OK");
}

}  // namespace superv::daemon::rpc

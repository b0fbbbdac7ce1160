// supervisord's group-level update (reloadConfig, addProcessGroup,
// removeProcessGroup), which supervisorctl's `reread` and `update` drive.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "superv/config/diff.hpp"
#include "superv/daemon/daemon_loop.hpp"
#include "superv/log/logging.hpp"

namespace superv::daemon {

using core::ProcessId;
using core::State;

namespace {
void add_once(std::vector<std::string>& list, const std::string& name) {
    if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}
}  // namespace

std::variant<DaemonLoop::GroupChanges, std::vector<std::string>> DaemonLoop::reread_groups() {
    std::vector<std::string> errors;
    auto cfg = reread([&](std::vector<std::string> e) { errors = std::move(e); });
    if (!cfg) return errors;
    config_ = std::move(*cfg);
    log::set_level(config_.daemon.log_level);

    std::vector<config::ProcessSpec> running;
    std::set<std::string> before;
    for (const core::Process* p : supervisor_.processes()) {
        running.push_back(p->spec);
        before.insert(p->spec.group);
    }
    const std::vector<config::ProcessSpec> wanted = config::expand_processes(config_);
    std::set<std::string> after;
    for (const auto& spec : wanted)
        after.insert(spec.group);
    const config::ProcessDiff diff = config::diff_processes(running, wanted);

    GroupChanges changes;
    for (const auto& spec : wanted) {
        if (!before.count(spec.group)) add_once(changes.added, spec.group);
    }
    auto group_of = [](const std::string& full_name) {
        return full_name.substr(0, full_name.find(':'));
    };
    auto changed = [&](const std::string& group) {
        if (before.count(group) && after.count(group)) add_once(changes.changed, group);
    };
    for (const auto& spec : diff.added)
        changed(spec.group);
    for (const auto& spec : diff.changed)
        changed(spec.group);
    for (const auto& name : diff.removed)
        changed(group_of(name));
    for (const core::Process* p : supervisor_.processes()) {
        if (!after.count(p->spec.group)) add_once(changes.removed, p->spec.group);
    }
    spdlog::info("reread: {} groups added, {} changed, {} removed", changes.added.size(),
                 changes.changed.size(), changes.removed.size());
    return changes;
}

DaemonLoop::GroupResult DaemonLoop::add_group(const std::string& name) {
    std::vector<config::ProcessSpec> specs;
    for (auto& spec : config::expand_processes(config_)) {
        if (spec.group == name) specs.push_back(std::move(spec));
    }
    if (specs.empty()) return GroupResult::NoSuchGroup;
    for (const core::Process* p : supervisor_.processes()) {
        if (p->spec.group == name) return GroupResult::AlreadyAdded;
    }
    spdlog::info("{}: group added", name);
    auto ids = supervisor_.add(specs);
    supervisor_.start(autostart_ids(ids), [](const auto& results) {
        for (const auto& r : results) {
            if (!r.ok) spdlog::warn("{}: start failed: {}", r.name, r.detail);
        }
    });
    return GroupResult::Done;
}

DaemonLoop::GroupResult DaemonLoop::remove_group(const std::string& name) {
    std::vector<ProcessId> members;
    for (const core::Process* p : supervisor_.processes()) {
        if (p->spec.group != name) continue;
        const State s = p->state();
        if (s != State::Stopped && s != State::Exited && s != State::Fatal) {
            return GroupResult::StillRunning;
        }
        members.push_back(p->id);
    }
    if (members.empty()) return GroupResult::NoSuchGroup;
    for (ProcessId id : members)
        supervisor_.remove(id);
    spdlog::info("{}: group removed", name);
    return GroupResult::Done;
}

}  // namespace superv::daemon

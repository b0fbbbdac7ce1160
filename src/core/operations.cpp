#include "superv/core/operations.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace superv::core {

namespace {
// Groups ids by their program's priority, ascending.
std::map<int, std::vector<ProcessId>> by_priority(Supervisor& sup,
                                                  const std::vector<ProcessId>& ids) {
    std::map<int, std::vector<ProcessId>> levels;
    for (ProcessId id : ids) {
        if (const Process* p = sup.find(id)) levels[p->priority()].push_back(id);
    }
    return levels;
}
}  // namespace

void Supervisor::Operation::finish() {
    std::vector<MemberResult> results;
    for (ProcessId id : ids_) {
        const Process* p = sup_.find(id);
        if (p == nullptr) continue;
        MemberResult r{id, p->display_name(), p->state(), member_ok(*p), {}};
        if (!r.ok) r.detail = p->reason.empty() ? std::string(state_name(p->state())) : p->reason;
        results.push_back(std::move(r));
    }
    if (done_) done_(results);
}

StartOperation::StartOperation(Supervisor& sup, std::vector<ProcessId> ids, OperationDone done)
    : Operation(sup, std::move(ids), std::move(done)) {
    for (auto& [priority, level] : by_priority(sup_, ids_)) {
        for (ProcessId id : level) {
            if (Process* p = sup_.find(id)) sup_.deliver(*p, event::Start{});
        }
    }
}

bool StartOperation::advance() {
    return std::none_of(ids_.begin(), ids_.end(), [&](ProcessId id) {
        const Process* p = sup_.find(id);
        return p != nullptr && p->state() == State::Starting;
    });
}

StopOperation::StopOperation(Supervisor& sup, std::vector<ProcessId> ids, OperationDone done)
    : Operation(sup, std::move(ids), std::move(done)) {
    auto levels = by_priority(sup_, ids_);
    for (auto it = levels.rbegin(); it != levels.rend(); ++it)
        levels_.push_back(it->second);
}

bool StopOperation::member_ok(const Process& p) const {
    return p.state() == State::Stopped || p.state() == State::Exited || p.state() == State::Fatal;
}

bool StopOperation::advance() {
    while (level_ < levels_.size()) {
        const auto& level = levels_[level_];
        if (!level_issued_) {
            level_issued_ = true;
            for (ProcessId id : level) {
                Process* p = sup_.find(id);
                if (p == nullptr) continue;
                const int sig = std::exchange(p->next_stop_signal, event::Stop::kPolicySignal);
                sup_.deliver(*p, event::Stop{sig});
            }
        }
        const bool waiting = std::any_of(level.begin(), level.end(), [&](ProcessId id) {
            const Process* p = sup_.find(id);
            return p != nullptr && (p->state() == State::Stopping || p->state() == State::Starting);
        });
        if (waiting) return false;
        ++level_;
        level_issued_ = false;
    }
    return true;
}

}  // namespace superv::core

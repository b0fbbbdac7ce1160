// Operations on sets of processes. Each is advanced after every round of
// events and finishes when all its members have settled; its `done` then gets
// one result per member.
#pragma once

#include <vector>

#include "superv/core/supervisor.hpp"

namespace superv::core {

class Supervisor::Operation {
  public:
    Operation(Supervisor& sup, std::vector<ProcessId> ids, OperationDone done)
        : sup_(sup), ids_(std::move(ids)), done_(std::move(done)) {}
    virtual ~Operation() = default;

    // Moves on if it can; true once every member has settled.
    virtual bool advance() = 0;
    // Calls `done` with every member's result.
    void finish();

  protected:
    virtual bool member_ok(const Process& p) const = 0;

    Supervisor& sup_;
    std::vector<ProcessId> ids_;
    OperationDone done_;
};

// Spawns members in ascending priority order, all at once (as supervisord);
// finished when none is STARTING any more (BACKOFF counts as a failure).
class StartOperation : public Supervisor::Operation {
  public:
    StartOperation(Supervisor& sup, std::vector<ProcessId> ids, OperationDone done);
    bool advance() override;

  protected:
    // A oneshot's successful start is its completion.
    bool member_ok(const Process& p) const override {
        return p.state() == State::Running || p.lifecycle.completed();
    }
};

// Stops members level by level, highest priority number first. Each level is
// one batch: all its members are signalled at once, and all their grace
// timers go to the kernel in one submit; the next level starts when every
// member of this one has stopped.
class StopOperation : public Supervisor::Operation {
  public:
    StopOperation(Supervisor& sup, std::vector<ProcessId> ids, OperationDone done);
    bool advance() override;

  protected:
    bool member_ok(const Process& p) const override;

  private:
    std::vector<std::vector<ProcessId>> levels_;
    std::size_t level_ = 0;
    bool level_issued_ = false;
};

}  // namespace superv::core

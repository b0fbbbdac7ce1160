// A Supervisor on a real backend with real, short-lived programs (sh, cat,
// sleep), for what the lifecycle table cannot show: spawn and exit facts,
// stdin pipes. Every wait has a deadline; every process is stopped (and,
// failing that, killed) before the test ends.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "superv/core/supervisor.hpp"
#include "superv/core/system_effects.hpp"
#include "superv/loop/backend.hpp"

namespace superv::core::test {

using namespace std::chrono_literals;

// A transition as the observer saw it, with the process's spawn_error then.
struct Seen {
    State from;
    State to;
    std::string spawn_error;
};

class SupervisorTest : public ::testing::TestWithParam<loop::BackendKind>,
                       public SupervisorObserver {
  protected:
    void SetUp() override;
    void TearDown() override;

    // A program that captures nothing, starts at once (startsecs 0), is never
    // restarted and gets 2 s to stop.
    static config::ProgramConfig program(std::vector<std::string> command);
    // Adds `program` as process "prog".
    ProcessId add(const config::ProgramConfig& program);
    // Adds and starts it; returns once it has left STARTING.
    ProcessId start(const config::ProgramConfig& program);
    void stop(ProcessId id);

    // Runs the loop until `done()` holds. False (with a test failure) if that
    // takes longer than `limit`.
    bool run_until(const std::function<bool()>& done, loop::Clock::duration limit = 10s);
    // Runs the loop for `time`, whatever happens.
    void run_for(loop::Clock::duration time);

    Process& process(ProcessId id) { return *supervisor_->find(id); }
    State state(ProcessId id) { return process(id).state(); }
    std::string path(const std::string& name) const { return dir_ + "/" + name; }
    static std::string read(const std::string& file);

    Supervisor& supervisor() { return *supervisor_; }
    std::vector<Seen> seen;  // every transition, in order

  private:
    void on_transition(const Process& p, State from, State to) override;
    // Runs the loop until `done()` holds or the guard timer fires; true when
    // the guard fired.
    bool run(const std::function<bool()>& done, loop::Clock::duration limit);

    std::unique_ptr<loop::Backend> backend_;
    std::unique_ptr<SystemEffects> effects_;
    std::unique_ptr<Supervisor> supervisor_;
    std::string dir_;
    std::uint32_t guard_gen_ = 0;
};

}  // namespace superv::core::test

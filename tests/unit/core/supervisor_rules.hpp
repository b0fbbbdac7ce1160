// The supervisor on FakeEffects: no process, no clock but the fake's. Tests
// add programs, ask for starts and stops, and play the loop: exits and timer
// expiries go back in as completions, then settle(), as the daemon does.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_effects.hpp"
#include "superv/core/supervisor.hpp"

namespace superv::core::test {

using namespace std::chrono_literals;

class SupervisorRules : public ::testing::Test, public SupervisorObserver {
  protected:
    SupervisorRules() { sup.set_observer(this); }

    // Started at once (startsecs 0), never restarted, 2 s to stop.
    static config::ProgramConfig program(const std::string& name, int priority = 999);
    ProcessId add(const config::ProgramConfig& program);

    // Starts / stops and settles; the operation's results land in `results`.
    void start(const std::vector<ProcessId>& ids);
    void stop(const std::vector<ProcessId>& ids);

    // The loop's part: a completion in, then settle().
    void deliver(const loop::Completion& c);
    void exit(const std::string& name, int code) { deliver(fx.exit(name, {false, code})); }
    void killed(const std::string& name, int sig) { deliver(fx.exit(name, {true, sig})); }
    // Moves the fake clock and delivers what fell due (and what was cancelled).
    void advance(Millis by);

    Process& process(const std::string& name) { return *sup.find(name); }
    State state(const std::string& name) { return process(name).state(); }
    // The calls since the last take, and forgets them.
    std::vector<std::string> take_calls();

    FakeEffects fx;
    Supervisor sup{fx};
    std::vector<std::string> transitions;  // "web STOPPED>STARTING"
    std::vector<MemberResult> results;     // of the last operation that finished
    int operations_done = 0;

  private:
    void on_transition(const Process& p, State from, State to) override;
};

}  // namespace superv::core::test

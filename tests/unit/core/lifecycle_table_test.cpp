// The lifecycle's invariants over every state and event, and over long
// random runs: the last Become is the state, the ready timer is armed once
// and cleared once, and ready() / completed() agree with the state.
#include "lifecycle_table.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <random>

#include "superv/core/lifecycle.hpp"

namespace superv::core {
namespace {

using namespace lifecycle_table;  // the table's vocabulary: kStart, trace(), ...

const std::vector<Event> kAllEvents = {
    kStart,          kStop,  kSpawned, kSpawnFailed,  exited(code(0)),
    exited(code(1)), kTimer, kReady,   kReadyTimeout, kReadyFailed,
};

// Each policy with event runs that reach each of its states (and the
// in-between facts: spawned, ready, timed out).
struct Reach {
    Policy policy;
    std::vector<std::vector<Event>> paths;
};

std::vector<Reach> reaches() {
    const Event fail = exited(code(1));
    Policy never = policy(AutoRestart::Never, 0);
    Policy ready = ready_policy(milliseconds(30000), 0);
    ready.autorestart = AutoRestart::Never;
    return {
        {never,
         {{},
          {kStart},
          {kStart, kSpawned},
          {kStart, kSpawned, kTimer},
          {kStart, kSpawned, kTimer, kStop},
          {kStart, kSpawned, kTimer, fail},
          {kStart, kSpawnFailed}}},
        {policy(AutoRestart::Never, 3), {{kStart, kSpawnFailed}}},
        {ready,
         {{kStart, kSpawned},
          {kStart, kSpawned, kReady},
          {kStart, kSpawned, kReadyTimeout},
          {kStart, kSpawned, kTimer, kReady},
          {kStart, kSpawned, kTimer, kReady, kStop},
          {kStart, kSpawned, kTimer, kReady, fail},
          {kStart, kSpawned, kReadyTimeout, fail}}},
        {oneshot_policy(0),
         {{kStart, kSpawned},
          {kStart, kSpawned, exited(code(0))},
          {kStart, kSpawned, fail},
          {kStart, kSpawned, kStop}}},
    };
}

// What must hold after any event, whatever came before.
void expect_consistent(const Lifecycle& lc, const std::string& where) {
    const State s = lc.state();
    if (lc.completed()) {
        EXPECT_TRUE(lc.policy().oneshot && s == State::Exited) << where;
    }
    if (s == State::Stopped || s == State::Backoff || s == State::Fatal ||
        (s == State::Exited && !lc.policy().oneshot)) {
        EXPECT_FALSE(lc.ready()) << where;
    }
    if (s == State::Running) {
        EXPECT_TRUE(lc.ready()) << where;
    }
}

// The supervisor's side of the ready timer: armed only once, cleared only
// when armed, never left armed outside STARTING.
struct ReadyTimerModel {
    bool armed = false;
    void deliver(Lifecycle& lc, const Event& ev, const std::string& where) {
        if (std::holds_alternative<event::ReadyTimeout>(ev)) armed = false;  // it fired
        State last = lc.state();
        for (const auto& a : lc.handle(ev)) {
            if (const auto* b = std::get_if<action::Become>(&a)) last = b->state;
            if (std::holds_alternative<action::SetReadyTimer>(a)) {
                EXPECT_FALSE(armed) << where << ": armed twice";
                armed = true;
            }
            if (std::holds_alternative<action::ClearReadyTimer>(a)) {
                EXPECT_TRUE(armed) << where << ": cleared when not armed";
                armed = false;
            }
        }
        EXPECT_EQ(last, lc.state()) << where << ": the last Become is the state";
        if (armed) {
            EXPECT_EQ(lc.state(), State::Starting) << where;
        }
        expect_consistent(lc, where);
    }
};

TEST(LifecycleTable, EveryStateEventPairIsConsistent) {
    for (const auto& reach : reaches()) {
        for (std::size_t p = 0; p < reach.paths.size(); ++p) {
            for (const auto& ev : kAllEvents) {
                Lifecycle lc(reach.policy);
                ReadyTimerModel timer;
                for (const auto& step : reach.paths[p])
                    timer.deliver(lc, step, "path");
                const std::string where = std::string(state_name(lc.state())) + " (path " +
                                          std::to_string(p) + ") + event " +
                                          std::to_string(ev.index());
                timer.deliver(lc, ev, where);
            }
        }
    }
}

// Long random runs reach the corners a table misses (a Stop between a
// timeout and its exit, a retry after a timed-out instance, ...).
TEST(LifecycleTable, RandomRunsStayConsistent) {
    std::mt19937 rng(15);  // fixed: the same runs every time
    std::uniform_int_distribution<std::size_t> pick(0, kAllEvents.size() - 1);
    for (const auto& reach : reaches()) {
        Lifecycle lc(reach.policy);
        ReadyTimerModel timer;
        for (int step = 0; step < 5000; ++step) {
            const std::size_t i = pick(rng);
            timer.deliver(lc, kAllEvents[i],
                          "step " + std::to_string(step) + " event " + std::to_string(i));
        }
    }
}

}  // namespace
}  // namespace superv::core

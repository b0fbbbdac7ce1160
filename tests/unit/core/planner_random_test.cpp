// The planner on many generated graphs and requests, run to the end as the
// supervisor would: it never deadlocks, never signals a process before what
// needs it is down, never spawns one before its conditions hold in the new
// instances, and leaves every member where its goal says or blocked.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "planner_fixture.hpp"

namespace superv::core::test {
namespace {

class PlannerRandomTest : public PlannerTest {
  protected:
    std::uint32_t pick(std::uint32_t n) { return random_() % n; }

    // Up to 3 needs on earlier processes, a priority of three, a random
    // state and goal.
    void generate(int size) {
        for (int i = 0; i < size; ++i) {
            std::vector<config::Dependency> needs;
            for (std::uint32_t k = i == 0 ? 0 : pick(4); k > 0; --k)
                needs.push_back(on("p" + std::to_string(pick(static_cast<std::uint32_t>(i)))));
            add("p" + std::to_string(i), std::move(needs), 100 * static_cast<int>(1 + pick(3)));
        }
        build();
        constexpr Goal kGoals[] = {Goal::None, Goal::Start, Goal::Stop, Goal::Replace};
        for (ProcessFacts& f : facts_) {
            const std::uint32_t state = pick(3);
            f.state = state == 0 ? State::Running : state == 1 ? State::Stopped : State::Fatal;
            f.spawned = f.ready = f.state == State::Running;
            f.goal = kGoals[pick(4)];
        }
    }

    bool in_stop_set(std::size_t i) const {
        return facts_[i].goal == Goal::Stop || facts_[i].goal == Goal::Replace;
    }
    bool old_gone(std::size_t i) const {
        return !facts_[i].spawned || (facts_[i].goal == Goal::Replace && facts_[i].start_issued);
    }

    void expect_sound(const Plan& p) const {
        for (std::size_t i : p.stop_now) {
            for (const auto& edge : graph_.needed_by(i)) {
                EXPECT_TRUE(!in_stop_set(edge.process) || old_gone(edge.process))
                    << graph_.name(i) << " signalled before " << graph_.name(edge.process);
            }
        }
        for (std::size_t i : p.start_now) {
            for (const auto& edge : graph_.needs(i)) {
                const ProcessFacts& t = facts_[edge.process];
                EXPECT_TRUE(t.state == State::Running && t.ready &&
                            (t.goal != Goal::Replace || t.start_issued))
                    << graph_.name(i) << " spawned before " << graph_.name(edge.process);
            }
        }
    }

    // Plans and carries out until nothing is left, every stop and spawn
    // completing between two rounds; the last plan.
    Plan run_to_end() {
        for (std::size_t round = 0; round < 4 * facts_.size() + 4; ++round) {
            const Plan p = plan_now();
            expect_sound(p);
            step();
            bool moving = !p.idle();
            for (ProcessFacts& f : facts_) {
                if (f.state == State::Stopping) {
                    f.state = State::Stopped;
                    f.spawned = f.ready = false;
                    moving = true;
                } else if (f.state == State::Starting) {
                    f.state = State::Running;
                    f.ready = true;
                    moving = true;
                }
            }
            if (!moving) return p;
        }
        ADD_FAILURE() << "no end: a deadlock";
        return plan_now();
    }

    std::mt19937 random_{15};
};

TEST_F(PlannerRandomTest, EveryRequestEndsWithEachMemberWhereItsGoalSaysOrBlocked) {
    for (int world = 0; world < 300; ++world) {
        specs_.clear();
        generate(12);
        const Plan last = run_to_end();
        std::vector<bool> blocked(facts_.size(), false);
        for (const Blocked& b : last.blocked) {
            blocked[b.process] = true;
            const ProcessFacts& cause = facts_[b.cause];
            EXPECT_FALSE(cause.spawned) << graph_.name(b.process);
        }
        for (std::size_t i = 0; i < facts_.size(); ++i) {
            const ProcessFacts& f = facts_[i];
            SCOPED_TRACE("world " + std::to_string(world) + ", " + graph_.name(i));
            EXPECT_TRUE(f.goal != Goal::Stop || !f.spawned);
            EXPECT_TRUE(f.goal != Goal::Replace || f.start_issued || blocked[i]);
            EXPECT_TRUE(f.goal != Goal::Start || f.state == State::Running || blocked[i]);
            if (HasFailure()) return;
        }
    }
}

}  // namespace
}  // namespace superv::core::test

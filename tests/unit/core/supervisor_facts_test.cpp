// What getProcessInfo reports beside the state: last start, last stop and
// supervisord's spawnerr, set the way process.py sets them.
#include <gtest/gtest.h>

#include "supervisor_fixture.hpp"

namespace superv::core::test {
namespace {

using Clock = std::chrono::system_clock;

class ProcessFactsTest : public SupervisorTest {};

TEST_P(ProcessFactsTest, ASuccessfulSpawnRecordsItsStartAndNoSpawnError) {
    const auto before = Clock::now();
    const ProcessId id = start(program({"sleep", "30"}));
    ASSERT_EQ(state(id), State::Running);
    EXPECT_GE(process(id).last_start, before);
    EXPECT_LE(process(id).last_start, Clock::now());
    EXPECT_EQ(process(id).last_stop, Clock::time_point{});
    EXPECT_EQ(process(id).spawn_error, "");
}

TEST_P(ProcessFactsTest, AStopRecordsItsTime) {
    const ProcessId id = start(program({"sleep", "30"}));
    stop(id);
    EXPECT_GE(process(id).last_stop, process(id).last_start);
    EXPECT_EQ(process(id).spawn_error, "");
}

TEST_P(ProcessFactsTest, AnExitWhileStartingExitedTooQuickly) {
    auto prog = program({"sh", "-c", "exit 0"});
    prog.startsecs = 10000ms;  // it exits long before
    const ProcessId id = start(prog);
    EXPECT_EQ(state(id), State::Fatal);
    EXPECT_EQ(process(id).spawn_error, "Exited too quickly (process log may have details)");
    EXPECT_NE(process(id).last_stop, Clock::time_point{});
}

TEST_P(ProcessFactsTest, AnUnexpectedExitWhileRunningIsABadExitCode) {
    const ProcessId id = start(program({"sh", "-c", "exit 3"}));
    run_until([&] { return state(id) == State::Exited; });
    EXPECT_EQ(process(id).spawn_error, "Bad exit code 3");
    EXPECT_GE(process(id).last_stop, process(id).last_start);
}

TEST_P(ProcessFactsTest, ADeathBySignalWhileRunningIsBadExitCodeMinusOne) {
    const ProcessId id = start(program({"sh", "-c", "kill -9 $$"}));
    run_until([&] { return state(id) == State::Exited; });
    EXPECT_EQ(process(id).spawn_error, "Bad exit code -1");  // supervisord's exitstatus
}

TEST_P(ProcessFactsTest, AnExpectedExitLeavesNoSpawnError) {
    const ProcessId id = start(program({"sh", "-c", "exit 0"}));
    run_until([&] { return state(id) == State::Exited; });
    EXPECT_EQ(process(id).spawn_error, "");
}

TEST_P(ProcessFactsTest, ASpawnFailureGivesSupervsOwnReasonAndNoStart) {
    const ProcessId id = start(program({"/nonexistent/prog"}));
    EXPECT_EQ(state(id), State::Fatal);
    EXPECT_EQ(process(id).spawn_error, "execve /nonexistent/prog: No such file or directory");
    EXPECT_EQ(process(id).last_start, Clock::time_point{});
}

TEST_P(ProcessFactsTest, TheNextSuccessfulSpawnClearsTheSpawnError) {
    // Exits 3 the first time, then stays up: autorestart respawns it.
    auto prog = program(
        {"sh", "-c",
         "[ -e " + path("ran") + " ] || { touch " + path("ran") + "; exit 3; }; exec sleep 30"});
    prog.autorestart = config::AutoRestart::OnFailure;
    const ProcessId id = start(prog);
    run_until([&] { return seen.size() >= 5 && state(id) == State::Running; });
    ASSERT_GE(seen.size(), 5u);
    EXPECT_EQ(seen[2].to, State::Exited);
    EXPECT_EQ(seen[2].spawn_error, "Bad exit code 3");
    EXPECT_EQ(process(id).spawn_error, "");
}

INSTANTIATE_TEST_SUITE_P(Auto, ProcessFactsTest, ::testing::Values(loop::BackendKind::Auto));

}  // namespace
}  // namespace superv::core::test

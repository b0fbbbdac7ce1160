// stdin_pipe: bytes sent reach the program; a program that never reads
// cannot make superv block or grow; a program that closed its stdin is
// refused. On each backend: their write paths differ.
#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include "supervisor_fixture.hpp"

namespace superv::core::test {
namespace {

class StdinPipeTest : public SupervisorTest {
  protected:
    // `command` with stdin_pipe, its stdout captured to out.log.
    config::ProgramConfig piped(std::vector<std::string> command) {
        auto prog = program(std::move(command));
        prog.stdin_pipe = true;
        prog.stdout_log.target = config::LogTarget{config::LogTarget::Kind::File, out()};
        prog.stdout_log.max_bytes = 0;
        return prog;
    }
    std::string out() const { return path("out.log"); }
    bool out_has(const std::string& text) const {
        return read(out()).find(text) != std::string::npos;
    }
};

TEST_P(StdinPipeTest, BytesSentReachTheProgram) {
    const ProcessId id = start(piped({"cat"}));
    ASSERT_EQ(state(id), State::Running);
    EXPECT_EQ(supervisor().send_stdin(id, "hello\n"), std::nullopt);
    EXPECT_EQ(supervisor().send_stdin(id, "world\n"), std::nullopt);
    run_until([&] { return out_has("hello\nworld\n"); });
}

TEST_P(StdinPipeTest, EachSpawnGetsAPipeOfItsOwn) {
    auto prog = piped({"sh", "-c", "read line; echo \"got $line\""});
    prog.autorestart = config::AutoRestart::Always;
    const ProcessId id = start(prog);
    ASSERT_EQ(supervisor().send_stdin(id, "one\n"), std::nullopt);
    run_until([&] { return out_has("got one\n"); });
    // The first one exited (its pipe closed with it) and was restarted.
    run_until([&] { return seen.size() >= 5 && state(id) == State::Running; });
    ASSERT_EQ(supervisor().send_stdin(id, "two\n"), std::nullopt);
    run_until([&] { return out_has("got one\ngot two\n"); });
}

TEST_P(StdinPipeTest, AProgramWithoutAPipeIsRefused) {
    const ProcessId id = start(program({"sleep", "30"}));
    EXPECT_EQ(supervisor().send_stdin(id, "x"), StdinError::NoPipe);
}

TEST_P(StdinPipeTest, AProcessThatIsNotRunningIsRefused) {
    const ProcessId id = add(piped({"cat"}));
    EXPECT_EQ(supervisor().send_stdin(id, "x"), StdinError::NotRunning);
    EXPECT_EQ(supervisor().send_stdin(ProcessId{99, 1}, "x"), StdinError::NotRunning);
}

TEST_P(StdinPipeTest, AProgramThatClosedItsStdinIsRefusedAtOnce) {
    const ProcessId id = start(piped({"sh", "-c", "exec 0<&-; echo closed; exec sleep 30"}));
    run_until([&] { return out_has("closed"); });
    EXPECT_EQ(supervisor().send_stdin(id, "x"), StdinError::Closed);
}

TEST_P(StdinPipeTest, AWriteThatFindsStdinClosedDropsWhatWaits) {
    // More than a pipe holds: the rest waits in superv when the program
    // closes its end, and its pending write fails with EPIPE.
    const ProcessId id =
        start(piped({"sh", "-c", "head -c 1 >/dev/null; exec 0<&-; echo closed; exec sleep 30"}));
    ASSERT_EQ(supervisor().send_stdin(id, std::string(512 * 1024, 'x')), std::nullopt);
    run_until([&] { return process(id).stdin_pipe->closed(); });
    EXPECT_EQ(process(id).stdin_pipe->queued(), 0u);
    EXPECT_EQ(supervisor().send_stdin(id, "x"), StdinError::Closed);
}

TEST_P(StdinPipeTest, AProgramThatNeverReadsFillsABoundedQueueWithoutBlockingTheLoop) {
    const ProcessId id = start(piped({"sleep", "30"}));
    const std::string chunk(64 * 1024, 'x');
    std::size_t accepted = 0;
    std::optional<StdinError> refused;
    while (!refused && accepted <= 4 * kMaxQueuedStdin) {
        refused = supervisor().send_stdin(id, chunk);
        if (!refused) accepted += chunk.size();
        run_for(1ms);  // the loop turns: writes go out, and none of them blocks it
    }
    EXPECT_EQ(refused, StdinError::Full);
    EXPECT_LE(process(id).stdin_pipe->queued(), kMaxQueuedStdin);
    // What the kernel's pipe took (64 KiB by default, at most 1 MiB) beyond the queue.
    EXPECT_GE(accepted, kMaxQueuedStdin);
    EXPECT_LE(accepted, 2 * kMaxQueuedStdin);
    // A write still in flight does not hold up its process's stop.
    stop(id);
    EXPECT_EQ(process(id).stdin_pipe, nullptr);
    EXPECT_EQ(supervisor().send_stdin(id, "x"), StdinError::NotRunning);
}

TEST_P(StdinPipeTest, AStopWithAWriteInFlightCancelsTheWrite) {
    // A grandchild holds the pipe open, so the write still waits when the
    // process itself has exited: it is cancelled, not left to a reused fd.
    const ProcessId id =
        start(piped({"sh", "-c", "exec 3<&0; sleep 30 <&3 & echo \"holder $!\"; exec sleep 30"}));
    ASSERT_EQ(supervisor().send_stdin(id, std::string(512 * 1024, 'x')), std::nullopt);
    run_until([&] { return out_has("\n"); });
    const pid_t holder = std::stoi(read(out()).substr(std::string("holder ").size()));
    run_for(10ms);
    ASSERT_NE(process(id).stdin_pipe, nullptr);
    EXPECT_NE(process(id).stdin_pipe->write_gen(), 0u);  // parked on a full pipe
    stop(id);
    EXPECT_EQ(process(id).stdin_pipe, nullptr);
    run_for(10ms);  // the cancelled write completes
    ::kill(holder, SIGKILL);
}

INSTANTIATE_TEST_SUITE_P(Backends, StdinPipeTest,
                         ::testing::Values(loop::BackendKind::Uring, loop::BackendKind::Epoll),
                         [](const ::testing::TestParamInfo<loop::BackendKind>& info) {
                             return info.param == loop::BackendKind::Epoll ? "epoll" : "uring";
                         });

}  // namespace
}  // namespace superv::core::test

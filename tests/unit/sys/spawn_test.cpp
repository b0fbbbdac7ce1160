// spawn(): exec, PATH lookup, error reporting, directory, environment, umask.
// Every test runs once per spawn method, so each fallback path behaves alike.
#include "superv/sys/spawn.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "test_support.hpp"

namespace superv::sys {
namespace {

using testing::exit_code_of;
using testing::has_no_children;
using testing::read_output;
using testing::TempDir;
using testing::wait_for_exit;

struct Outcome {
    int exit_code = -1;
    std::string output;  // stdout (and stderr, when it is redirected there)
};

class SpawnTest : public ::testing::TestWithParam<SpawnMethod> {
  protected:
    void TearDown() override { EXPECT_TRUE(has_no_children()) << "a child was left behind"; }

    Result<ProcessHandle> start(SpawnRequest request) {
        request.method = GetParam();
        return spawn(request);
    }

    // Runs to completion with stdout captured; fails the test if spawn fails.
    Outcome run(SpawnRequest request, bool stderr_too = false) {
        auto pipe = make_pipe();
        EXPECT_TRUE(pipe.ok());
        if (!pipe) return {};
        request.stdout_fd = pipe->second.get();
        if (stderr_too) request.stderr_fd = pipe->second.get();
        auto process = start(request);
        EXPECT_TRUE(process.ok()) << process.error().message();
        if (!process) return {};
        pipe->second.reset();
        Outcome outcome;
        outcome.output = read_output(pipe->first.get());
        outcome.exit_code = exit_code_of(wait_for_exit(process.value()));
        return outcome;
    }

    void expect_failure(const SpawnRequest& request, const std::string& call, int err) {
        auto process = start(request);
        ASSERT_FALSE(process.ok()) << "spawn of " << request.argv.front() << " succeeded";
        EXPECT_EQ(process.error().call, call);
        EXPECT_EQ(process.error().err, err) << process.error().message();
    }
};

TEST_P(SpawnTest, RunsTrueAndReportsExitZero) {
    auto process = start({.argv = {"/bin/true"}});
    ASSERT_TRUE(process.ok()) << process.error().message();
    EXPECT_GT(process->pid(), 0);
    const siginfo_t info = wait_for_exit(process.value());
    EXPECT_EQ(info.si_code, CLD_EXITED);
    EXPECT_EQ(info.si_status, 0);
    EXPECT_EQ(info.si_pid, process->pid());
}

TEST_P(SpawnTest, PropagatesExitCode) {
    EXPECT_EQ(run({.argv = {"/bin/sh", "-c", "exit 7"}}).exit_code, 7);
}

TEST_P(SpawnTest, FindsBareNameInRequestPath) {
    TempDir dir;
    dir.write_file("superv-test-tool", "#!/bin/sh\necho found\n", 0755);
    const Outcome outcome =
        run({.argv = {"superv-test-tool"}, .env = {"PATH=/nonexistent:" + dir.path()}});
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_EQ(outcome.output, "found\n");
}

TEST_P(SpawnTest, UsesOwnPathWhenRequestEnvironmentHasNone) {
    EXPECT_EQ(run({.argv = {"sh", "-c", "exit 3"}, .env = {"HOME=/"}}).exit_code, 3);
}

TEST_P(SpawnTest, ReportsMissingProgramAsExecveEnoent) {
    expect_failure({.argv = {"/nonexistent/superv-no-such-program"}}, "execve", ENOENT);
}

TEST_P(SpawnTest, ReportsBareNameNotInPathAsExecveEnoent) {
    expect_failure({.argv = {"superv-no-such-program"}, .env = {"PATH=/usr/bin:/bin"}}, "execve",
                   ENOENT);
}

TEST_P(SpawnTest, ReportsNonExecutableFileAsExecveEacces) {
    TempDir dir;
    const std::string file = dir.write_file("plain", "#!/bin/sh\nexit 0\n", 0644);
    expect_failure({.argv = {file}}, "execve", EACCES);
}

TEST_P(SpawnTest, ReportsNonExecutableOnlyMatchInPathAsEacces) {
    TempDir dir;
    dir.write_file("tool", "#!/bin/sh\nexit 0\n", 0644);
    expect_failure({.argv = {"tool"}, .env = {"PATH=" + dir.path() + ":/nonexistent"}}, "execve",
                   EACCES);
}

TEST_P(SpawnTest, SkipsNonExecutableMatchAndRunsLaterOneInPath) {
    TempDir first;
    TempDir second;
    first.write_file("tool", "#!/bin/sh\nexit 0\n", 0644);
    second.write_file("tool", "#!/bin/sh\nexit 4\n", 0755);
    const std::string path = "PATH=" + first.path() + ":" + second.path();
    EXPECT_EQ(run({.argv = {"tool"}, .env = {path}}).exit_code, 4);
}

TEST_P(SpawnTest, ReportsMissingDirectoryAsChdirEnoent) {
    expect_failure({.argv = {"/bin/true"}, .directory = "/nonexistent/superv-dir"}, "chdir",
                   ENOENT);
}

TEST_P(SpawnTest, RunsInRequestedDirectory) {
    TempDir dir;
    const Outcome outcome = run({.argv = {"/bin/sh", "-c", "pwd -P"}, .directory = dir.path()});
    char resolved[PATH_MAX];
    ASSERT_NE(realpath(dir.path().c_str(), resolved), nullptr);
    EXPECT_EQ(outcome.output, std::string(resolved) + "\n");
}

TEST_P(SpawnTest, ResolvesRelativeProgramPathInNewDirectory) {
    TempDir dir;
    dir.write_file("tool", "#!/bin/sh\nexit 5\n", 0755);
    EXPECT_EQ(run({.argv = {"./tool"}, .directory = dir.path()}).exit_code, 5);
}

TEST_P(SpawnTest, PassesEnvironmentExactly) {
    const Outcome outcome =
        run({.argv = {"/usr/bin/env"}, .env = {"A=1", "B=two words", "EMPTY=", "PATH=/x"}});
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_EQ(outcome.output, "A=1\nB=two words\nEMPTY=\nPATH=/x\n");
}

TEST_P(SpawnTest, PassesEmptyEnvironmentAsEmpty) {
    const Outcome outcome = run({.argv = {"/usr/bin/env"}});
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_EQ(outcome.output, "");
}

TEST_P(SpawnTest, PassesArgumentsUnchanged) {
    const Outcome outcome =
        run({.argv = {"/bin/sh", "-c", "printf '[%s]' \"$0\" \"$@\"", "zero", "a b", "", "$HOME"}});
    EXPECT_EQ(outcome.output, "[zero][a b][][$HOME]");
}

TEST_P(SpawnTest, AppliesUmask) {
    EXPECT_EQ(run({.argv = {"/bin/sh", "-c", "umask"}, .umask = 027}).output, "0027\n");
    EXPECT_EQ(run({.argv = {"/bin/sh", "-c", "umask"}, .umask = 0}).output, "0000\n");
}

TEST_P(SpawnTest, SendsStderrWhereStdoutGoesWhenBothNameOneFd) {
    const Outcome outcome = run({.argv = {"/bin/sh", "-c", "echo out; echo err >&2"}}, true);
    EXPECT_EQ(outcome.output, "out\nerr\n");
}

TEST_P(SpawnTest, ReadsStdinFromGivenFd) {
    auto in = make_pipe();
    ASSERT_TRUE(in.ok());
    ASSERT_EQ(write(in->second.get(), "hello\n", 6), 6);
    in->second.reset();
    const Outcome outcome = run({.argv = {"/bin/cat"}, .stdin_fd = in->first.get()});
    EXPECT_EQ(outcome.output, "hello\n");
}

TEST_P(SpawnTest, RejectsEmptyArgv) {
    auto process = start({});
    ASSERT_FALSE(process.ok());
    EXPECT_EQ(process.error().err, EINVAL);
}

TEST_P(SpawnTest, ErrorMessageNamesTheFailedStep) {
    auto process = start({.argv = {"/bin/true"}, .directory = "/nonexistent/superv-dir"});
    ASSERT_FALSE(process.ok());
    EXPECT_EQ(process.error().message(), "chdir: No such file or directory");
}

INSTANTIATE_TEST_SUITE_P(EveryMethod, SpawnTest, testing::kEveryMethod, testing::method_test_name);

}  // namespace
}  // namespace superv::sys

// Helpers for the sys tests: they run real, short-lived processes, so every
// wait has a deadline and every process started is reaped before the test ends.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <set>
#include <string>

#include "superv/sys/fd.hpp"
#include "superv/sys/process.hpp"
#include "superv/sys/spawn.hpp"

namespace superv::sys::testing {

using namespace std::chrono_literals;

// Parameters for tests that must hold for every spawn method.
inline const auto kEveryMethod =
    ::testing::Values(SpawnMethod::Auto, SpawnMethod::ClonePidfd, SpawnMethod::CloneThenPidfdOpen,
                      SpawnMethod::ForkThenPidfdOpen);
std::string method_test_name(const ::testing::TestParamInfo<SpawnMethod>& info);

// Waits (poll on the pidfd, with a deadline) and reaps. On timeout the test
// fails and the process is killed and reaped anyway.
siginfo_t wait_for_exit(const ProcessHandle& process, std::chrono::milliseconds timeout = 10s);

// Exit code, or 128 + signal for a killed process (the shell's convention).
int exit_code_of(const siginfo_t& info);

// Reads until EOF (or until `until` has appeared in the output), with a deadline.
std::string read_output(int fd, std::chrono::milliseconds timeout = 10s,
                        const std::string& until = {});

// The fds open in process `pid`, from /proc/PID/fd.
std::set<int> open_fds_of(pid_t pid);

// The value of a "Key:\tvalue" line of /proc/PID/status.
std::string status_field(pid_t pid, const std::string& key);

// True when the test process has no child at all (ECHILD): nothing leaked.
bool has_no_children();

// Runs `body` in a forked copy of the test process, so process-wide changes
// (subreaper, seccomp filters, dropped privileges, closed stdio, signal
// dispositions) never reach the test runner. Returns body's return value, or
// -1 if the copy died or timed out. Inside, use EXPECT_IN_CHILD.
int run_isolated(const std::function<int()>& body, std::chrono::milliseconds timeout = 20s);

#define EXPECT_IN_CHILD(cond)                                                             \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            return 1;                                                                     \
        }                                                                                 \
    } while (0)

// A fresh directory under $TMPDIR (or /tmp), removed with its content.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    // Writes `content` to path()/name with `mode`; returns the full path.
    std::string write_file(const std::string& name, const std::string& content, mode_t mode) const;

  private:
    std::string path_;
};

// A child kept alive by the pipe on its stdin: `cat`, with a handshake
// through its stdout so the program is fully started (the dynamic loader
// done with its own fds) before the test looks at it. Closing stdin ends it.
// `request` gives the rest (user, capabilities...); argv and stdio are set.
struct LiveChild {
    ProcessHandle process;
    Fd stdin_write;
    Fd stdout_read;
};
Result<LiveChild> spawn_live_cat(SpawnMethod method = SpawnMethod::Auto, SpawnRequest request = {});

// Installs a seccomp filter in the calling process: `syscall_nr` fails with
// `err` when its first argument has any bit of `flag_mask` set (always, for
// a mask of 0). Only for run_isolated bodies. Returns false if refused.
bool refuse_syscall(long syscall_nr, unsigned flag_mask, int err);

}  // namespace superv::sys::testing

// The command line: argv to a subcommand, nothing else. Exit codes follow
// interface.md: 0 ok, 1 an action failed, 2 usage or config error, 3 status
// not all running, 4 cannot reach the daemon.
#pragma once

namespace superv::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotRunning = 3;
inline constexpr int kExitUnreachable = 4;

int run(int argc, char** argv);

}  // namespace superv::cli

// One process as supervisord's getProcessInfo describes it.
#pragma once

#include <ctime>
#include <optional>
#include <string>

#include "rpc.hpp"

namespace superv::daemon::rpc {

// supervisord's ProcessStates codes: STOPPED 0, STARTING 10, ..., UNKNOWN 1000.
int state_code(core::State state);

// {name, group, start, stop, now, state, statename, spawnerr, exitstatus,
// logfile, stdout_logfile, stderr_logfile, pid, description}.
Value process_info(const core::Process& p, std::time_t now);

// supervisord's description (rpcinterface._interpretProcessInfo): "pid 42,
// uptime 0:01:02" while RUNNING, the spawn error in BACKOFF / FATAL, the stop
// time ("Dec 02 01:03 AM") or "Not started" when stopped or exited.
std::string description(const core::Process& p, std::time_t now);

// Where stream 0 (stdout) or 1 (stderr) of the program goes, as supervisord
// names it: a file's path, /dev/stdout or /dev/stderr for superv's own
// (inherit), "" for none.
std::string log_path(const config::ProgramConfig& program, int stream);

// The uid of the program's `user`, when it has one.
std::optional<int> user_id(const config::ProgramConfig& program);

// Python's str(datetime.timedelta(seconds=s)): "0:00:05", "1 day, 2:03:04".
std::string python_timedelta(long long seconds);

}  // namespace superv::daemon::rpc

// superv's own log: spdlog to stderr, one line per event, with the program's
// name first on every line about a program; and, where the config names a
// log file ([superv] logfile, supervisord's [supervisord] logfile), the same
// lines at the same level into that file, rotated as a program's log.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "superv/common/result.hpp"
#include "superv/config/config.hpp"
#include "superv/log/log_file_reader.hpp"

namespace superv::log {

// Sets up the default logger ("2026-11-25 06:13:31.123 INFO web: spawned pid 42").
void setup(std::string_view level = "info");

// false when `level` is not one of trace|debug|info|warn|error.
bool set_level(std::string_view level);

// Writes the log to `spec`'s file too when its target is a File, else to
// stderr only. Called at start and at every reload: the same spec keeps the
// open file, another one switches to it. An error (the file cannot be
// opened) leaves the file out until reopen() succeeds.
Result<void> set_file(const config::LogSpec& spec);

// SIGUSR2: the file is opened again (logrotate moved it); also retries one
// that could not be opened. Ok when there is no file.
Result<void> reopen();

// supervisord's clearLog: the file is removed (not its backups) and opened
// again, empty. NoFile without a file or when it does not exist; Failed
// when it cannot be removed or reopened.
LogFault clear();

// set_level and set_file from the config, at start and at each reload; a
// file that cannot be opened is logged (to stderr) and left out.
void configure(const config::DaemonConfig& daemon);

// The file the log goes to ("" when none): for readLog and /mainlogtail.
std::string file_path();

// /mainlogtail: `follower` gets every line written to the log file from now
// on (nothing without a file), by deliver_to_followers(), until it returns
// false. Lines are handed over outside spdlog's lock, so a follower may log.
using Follower = std::function<bool(std::string_view)>;
void follow(Follower follower);
// Called by the daemon's loop once per round.
void deliver_to_followers();

}  // namespace superv::log

// A program becomes one or more processes: numprocs > 1 gives NAME_00,
// NAME_01, ... in a group named NAME; [groups.X] puts a program's processes
// into group X; otherwise the group is the program's own name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "superv/config/config.hpp"

namespace superv::config {

struct ProcessSpec {
    std::string name;   // bare process name, unique in the config
    std::string group;  // group name
    int index = 0;      // 0..numprocs-1
    std::shared_ptr<const ProgramConfig> program;
    int priority = 999;  // its group's priority where the group sets one, else the program's

    std::string full_name() const { return group + ":" + name; }
    // As status shows it: NAME when the process is its own group, else GROUP:NAME.
    std::string display_name() const { return group == name ? name : full_name(); }
};

// display_name() from a full GROUP:NAME.
std::string display_name(const std::string& full_name);

// Every process of every program, programs in file order, each program's
// processes by index. Each process's program gets the daemon-wide
// `environment` under its own and, where it has none, the serverurl of the
// first HTTP listener.
std::vector<ProcessSpec> expand_processes(const Config& config);

// The name of process `index` of `program`: NAME when numprocs is 1, else
// NAME_00, NAME_01, ... with as many digits as the largest index needs (at
// least two, so 100 processes are NAME_00..NAME_99 and 101 are NAME_000..).
std::string process_name(const ProgramConfig& program, int index);

// SUPERVISOR_SERVER_URL for a listener, as supervisord derives it:
// "unix:///path" or "http://HOST:PORT" (localhost for every interface).
std::string server_url(const HttpListener& listener);

}  // namespace superv::config

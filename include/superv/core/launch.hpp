// From a process spec to a SpawnRequest: argv, the environment (superv's own
// plus the program's, plus SUPERV_PROCESS_NAME / SUPERV_GROUP_NAME as
// supervisord's SUPERVISOR_* variables), working directory, umask, user and
// the files its stdout / stderr go to.
#pragma once

#include <string>
#include <vector>

#include "superv/config/processes.hpp"
#include "superv/sys/fd.hpp"
#include "superv/sys/spawn.hpp"

namespace superv::core {

struct Launch {
    sys::SpawnRequest request;
    std::vector<sys::Fd> fds;           // the files behind request's std*_fd; closed after spawn
    std::vector<std::string> warnings;  // e.g. a log file that could not be opened
};

// Fails (with a message naming what) only when the process cannot be started
// at all, e.g. its user vanished since the config was loaded.
struct LaunchError {
    std::string message;
};

std::variant<Launch, LaunchError> prepare_launch(const config::ProcessSpec& spec);

}  // namespace superv::core

// From a process spec to a SpawnRequest: argv, the environment (superv's own,
// or only a PATH with clear_environment; supervisord's SUPERVISOR_ENABLED,
// SUPERVISOR_PROCESS_NAME, SUPERVISOR_GROUP_NAME and SUPERVISOR_SERVER_URL;
// the program's own, which wins over those; then SUPERV_PROCESS_NAME /
// SUPERV_GROUP_NAME), working directory, umask, user, capabilities, resource
// limits and the files its stdin / stdout / stderr are.
#pragma once

#include <string>
#include <vector>

#include "superv/config/processes.hpp"
#include "superv/core/effects.hpp"
#include "superv/sys/fd.hpp"
#include "superv/sys/spawn.hpp"

namespace superv::core {

struct Launch {
    sys::SpawnRequest request;
    std::vector<sys::Fd> fds;  // the files behind request's std*_fd; closed after spawn
};

// Fails (with a message naming what) only when the process cannot be started
// at all, e.g. its user vanished since the config was loaded.
struct LaunchError {
    std::string message;
};

std::variant<Launch, LaunchError> prepare_launch(const config::ProcessSpec& spec,
                                                 const SpawnExtras& extras = {});

}  // namespace superv::core

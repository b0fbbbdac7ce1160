// A process as `status` shows it, in the JSON that `status --json` prints
// (interface.md): name, group, state, pid, exitstatus, signal, since, plus
// uptime and a supervisorctl-like description.
#pragma once

#include <chrono>

#include "superv/control/protocol.hpp"
#include "superv/core/process.hpp"

namespace superv::control {

Json status_json(const core::Process& p, std::chrono::steady_clock::time_point now);

// "1:02:03" (hours not padded, as supervisorctl; days folded into hours).
std::string format_uptime(std::chrono::seconds up);

}  // namespace superv::control

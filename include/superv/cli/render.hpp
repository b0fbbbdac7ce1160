// Printing replies: supervisorctl-like text for people, JSON for scripts.
#pragma once

#include "superv/control/client.hpp"
#include "superv/control/protocol.hpp"

namespace superv::cli {

// Prints a successful (or per-process) reply to `request`; returns the exit code.
int render(const control::Request& request, const control::Json& reply, bool json);

// Prints `tail` data, following further lines while the daemon sends them.
int render_tail(control::Client& client, const control::Json& first);

}  // namespace superv::cli

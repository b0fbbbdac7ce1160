// A config written back as superv.toml: what `superv import` prints for a
// supervisord.conf.
#pragma once

#include <string>

#include "superv/config/config.hpp"

namespace superv::config {

// TOML that load_string() reads back to the same processes and options:
// - keys at their defaults are left out, so it reads like a hand-written
//   config; [superv] only when something in it differs from the defaults;
// - programs in file order, then groups; commands as arrays; paths
//   absolute, as loaded; durations in seconds; sizes as "50MB" where exact;
//   signals by name; modes octal;
// - everything in one file: the files `config.included` named are merged in;
// - a group that is just its own program is left out, and a group of
//   programs NAME_00, NAME_01, ... that differ only in their names becomes
//   one program NAME with numprocs;
// - at the top, as comments ("# FILE:LINE: message"): config.warnings
//   (what the source had that superv cannot honour), then what TOML cannot
//   say, e.g. an HTTP unix socket's own mode, owner or group, or listeners
//   with different credentials (TOML gives every listener [superv.http]'s).
std::string to_toml(const Config& config);

}  // namespace superv::config

// superv's own log: spdlog to stderr, one line per event, with the program's
// name first on every line about a program.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace superv::log {

// Sets up the default logger ("2026-11-25 06:13:31.123 INFO web: spawned pid 42").
void setup(std::string_view level = "info");

// false when `level` is not one of trace|debug|info|warn|error.
bool set_level(std::string_view level);

}  // namespace superv::log

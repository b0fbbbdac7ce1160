// Reading one config file from disk, with the StrictModes checks. Private to
// src/config.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>
#include <vector>

#include "superv/config/loader.hpp"

namespace superv::config::detail {

// The text of the file at `path`; when it cannot be read or StrictModes
// refuse it, nothing, and one error "FILE: message" appended to `errors`.
std::optional<std::string> read_config_file(const std::string& path, bool strict_modes,
                                            std::vector<ConfigError>& errors);

// Why StrictModes refuse a file (or directory) with status `st`, or nothing:
// owned by someone other than root and superv's own user, or writable by
// group or others ("writable by group/others; fix its mode or ...").
std::optional<std::string> strict_modes_problem(const struct stat& st);

}  // namespace superv::config::detail

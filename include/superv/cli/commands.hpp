// One function per subcommand; cli.cpp parses argv and calls them.
#pragma once

#include <string>

namespace superv::cli {

// `superv check [-c FILE]`: every error as FILE:LINE:COL: message on stderr.
int check(const std::string& config_path);

// `superv version`.
int version();

// The config path: -c FILE, else $SUPERV_CONFIG, else the default.
std::string config_path(const std::string& from_option);
inline constexpr const char* kDefaultConfig = "/etc/superv/superv.toml";

}  // namespace superv::cli

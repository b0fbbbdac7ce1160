// One function per subcommand; cli.cpp parses argv and calls them.
#pragma once

#include <string>

namespace superv::cli {

// `superv check [-c FILE]`: every error as FILE:LINE:COL: message on stderr.
int check(const std::string& config_path);

// `superv import FILE`: the config at `path` (supervisord.conf or TOML) as
// superv.toml on stdout; errors as FILE:LINE:COL: message on stderr.
int import_config(const std::string& path);

// `superv version`.
int version();

// The config path: -c FILE, else $SUPERV_CONFIG, else the default.
std::string config_path(const std::string& from_option);
inline constexpr const char* kDefaultConfig = "/etc/superv/superv.toml";

}  // namespace superv::cli

#include "superv/control/protocol.hpp"

namespace superv::cli {

struct RemoteOptions {
    std::string socket;       // -s SOCKET
    std::string config_path;  // -c FILE (only to find the socket)
    bool json = false;        // --json: print the daemon's reply as JSON
};

// The socket a client talks to: -s, else $SUPERV_SOCKET, else the config's
// [superv].socket, else the default.
std::string client_socket_path(const RemoteOptions& options);

// Sends `request` to the daemon and prints its reply, human or JSON; returns
// the exit code.
int remote(const RemoteOptions& options, const control::Request& request);

}  // namespace superv::cli

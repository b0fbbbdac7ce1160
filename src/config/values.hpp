// Reading one key's value: check its TOML type and range, convert it to the
// config's representation, and report anything wrong at the value's position.
// Each reader returns nullopt after reporting an error.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "load_context.hpp"
#include "superv/config/config.hpp"

namespace superv::config::detail {

// One `key = value` being read.
struct Field {
    std::string_view key;
    const toml::node& node;
    Context& ctx;

    void error(std::string message) const { ctx.diag.error(node.source(), std::move(message)); }
    // "\"key\" must be <expected>, not <actual type>"
    void wrong_type(std::string_view expected) const;
};

// False, after reporting it, when `text` (the value at `where`) has a NUL:
// execve() and the C library would silently cut the string short there.
bool check_no_nul(const Field& field, const toml::node& where, std::string_view text);

// "9001" -> 9001; nullopt unless it is 1..65535 in plain digits.
std::optional<int> parse_port(std::string_view text);

std::optional<bool> read_bool(const Field& field);
std::optional<std::string> read_string(const Field& field);  // non-empty
std::optional<int> read_int(const Field& field, std::int64_t min, std::int64_t max);
std::optional<std::string> read_path(const Field& field);  // resolved against the config's dir

// Seconds as an integer or a float, >= 0.
std::optional<Millis> read_duration(const Field& field);

// Bytes as an integer, or a string "123", "123B", "10KB", "50MB", "1GB".
std::optional<std::uint64_t> read_size(const Field& field);

// "TERM", "SIGTERM" or a number.
std::optional<int> read_signal(const Field& field);

// File mode bits as an octal string ("022") or an octal integer (0o22).
std::optional<mode_t> read_mode(const Field& field, mode_t max);

std::optional<std::vector<std::string>> read_command(const Field& field);
std::optional<AutoRestart> read_autorestart(const Field& field);
std::optional<std::vector<int>> read_exitcodes(const Field& field);
std::optional<LogTarget> read_log_target(const Field& field);
std::optional<std::map<std::string, std::string>> read_environment(const Field& field);
std::optional<bool> read_stdin(const Field& field);             // "pipe": true, "null": false
std::optional<std::string> read_serverurl(const Field& field);  // "AUTO": "" (derived)

// Start order: `type`, `depends_on` and `ready` (README "Start order").
std::optional<ProgramType> read_type(const Field& field);  // "simple" | "oneshot"
// ["db", "cache"] (each "ready"), or { db = "ready", migrate = "completed" };
// in file order, each entry with its position.
std::optional<std::vector<Dependency>> read_depends_on(const Field& field);
// "notify", "healthy", { fd = N }, { tcp = PORT }, { tcp = "HOST:PORT" }, { log = "REGEX" }
std::optional<Readiness> read_ready(const Field& field);

}  // namespace superv::config::detail

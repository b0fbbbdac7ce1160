// TOML spellings of the config's values, for writing a config back: what a
// person would write by hand, and what the loader reads as the same value.
// Strings are quoted and escaped by toml++. Private to src/config.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "superv/config/config.hpp"

namespace superv::config::detail {

std::string toml_key(std::string_view key);                                        // web, "my.app"
std::string toml_string(std::string_view text);                                    // "a \"b\""
std::string toml_strings(const std::vector<std::string>& words);                   // ["a", "b"]
std::string toml_inline_table(const std::map<std::string, std::string>& entries);  // { A = "1" }
std::string toml_seconds(Millis duration);                                         // 10, 2.5
std::string toml_size(std::uint64_t bytes);  // "50MB" where exact, else 1000
std::string toml_mode(mode_t mode);          // "022", "0600"
// ["db", "cache"] when every condition is "ready", else { db = "ready", migrate = "completed" }
std::string toml_depends_on(const std::vector<Dependency>& dependencies);
// "notify", { fd = 3 }, { tcp = 5432 }, { tcp = "[::1]:5432" }, { log = "listening" }, "healthy"
std::string toml_ready(const Readiness& ready);
// 5432 (on 127.0.0.1), "10.0.0.5:5432", "[::1]:5432": a `tcp` value
std::string toml_tcp_address(const std::string& host, int port);

}  // namespace superv::config::detail

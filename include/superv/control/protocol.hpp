// The control protocol (docs/protocol.md): a client connects to the Unix
// socket, writes one request as a JSON object on one line, and reads the
// reply: one JSON object per line. Every command answers with exactly one
// line, except `tail` with "follow": true, which streams lines until the
// client hangs up.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace superv::control {

using Json = nlohmann::json;

// Requests larger than this are refused (and the connection closed).
inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;

struct Request {
    std::string cmd;                 // status start stop restart signal reload update pid
                                     // shutdown version tail
    std::vector<std::string> names;  // selectors: NAME, GROUP:*, GROUP:NAME, all
    std::string signal;              // `signal`: TERM, SIGTERM or a number
    std::string stream = "stdout";   // `tail`: stdout | stderr
    std::uint64_t bytes = 1600;      // `tail`: how much of the end to send first
    bool follow = false;             // `tail -f`
};

// Parses one request line; on failure returns nullopt and sets *error.
std::optional<Request> parse_request(std::string_view line, std::string* error);
Json to_json(const Request& request);

// {"ok": false, "error": message, "kind": kind}. Kinds: "usage" (bad request,
// unknown name), "failed" (an action failed), "refused" (permission),
// "busy" (shutting down / reload in progress).
Json error_reply(std::string_view kind, std::string_view message);

}  // namespace superv::control

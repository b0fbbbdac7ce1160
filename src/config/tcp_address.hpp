// The address a readiness or health check connects to: numeric, because the
// check connects from the event loop, which must not block on a name lookup
// ("localhost" is taken as 127.0.0.1). Private to src/config.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "values.hpp"

namespace superv::config::detail {

struct TcpAddress {
    std::string host;  // a numeric IPv4 or IPv6 address (no brackets)
    int port = 0;      // 1..65535
};

bool is_ipv4_literal(const std::string& host);
bool is_ipv6_literal(const std::string& host);

// "HOST:PORT" or "[V6]:PORT" to an address, or why not (a phrase that
// follows the address in a message). `checks` names them: "readiness checks".
std::variant<TcpAddress, std::string> parse_tcp_address(std::string_view text,
                                                        std::string_view checks);

// `tcp = PORT` (on 127.0.0.1) or `tcp = "HOST:PORT"`, reported at the value.
std::optional<TcpAddress> read_tcp_address(const Field& field, std::string_view checks);

}  // namespace superv::config::detail

// The URL of an HTTP health check: http://HOST[:PORT][/PATH][?QUERY], the
// host an address (or localhost), as the check connects from the event loop
// without a name lookup. Private to src/config.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace superv::config::detail {

struct HttpUrl {
    std::string host;         // numeric IPv4 or IPv6 (no brackets); localhost: 127.0.0.1
    int port = 80;            // 1..65535
    std::string host_header;  // HOST[:PORT] as written, for the Host header
    std::string path = "/";   // path and query; the fragment is never sent
};

// The parts of `url`, or why it is not one a check can use (a phrase that
// follows the URL in a message).
std::variant<HttpUrl, std::string> parse_http_url(std::string_view url);

}  // namespace superv::config::detail

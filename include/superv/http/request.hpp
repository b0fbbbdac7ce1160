// An HTTP/1.1 request as the server's handlers see it (RFC 9112), produced by RequestParser.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace superv::http {

struct Header {
    std::string name;
    std::string value;
};

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // as sent: "/logtail/web%3Aweb/stderr?x=1"
    std::string path;    // percent-decoded, without the query: "/logtail/web:web/stderr"
    std::string query;   // raw, without '?': "x=1"
    int version_major = 1;
    int version_minor = 1;
    std::vector<Header> headers;  // names as sent, in order
    std::string body;             // a chunked body arrives here de-chunked
    // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive". The
    // responses built for this request follow it: a handler that wants the connection closed after
    // its answer clears it first.
    bool keep_alive = true;

    // The value of the first header with that name (compared case-insensitively), or nullptr.
    const std::string* header(std::string_view name) const;
};

// "%3A" -> ":". nullopt for a '%' not followed by two hex digits, and for "%00", which no path
// handed on to a file name or a process name may contain.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace superv::http

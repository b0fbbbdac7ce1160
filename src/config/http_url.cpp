// The URL is split by http-parser's http_parser_parse_url (the library the
// HTTP server already parses requests with); what is checked here is only
// what a health check needs beyond a well-formed URL, and, when the library
// refuses one, which part was wrong.
#include "http_url.hpp"

#include <http_parser.h>

#include <algorithm>
#include <cctype>

#include "tcp_address.hpp"

namespace superv::config::detail {
namespace {

constexpr std::string_view kShape = "http://HOST[:PORT][/PATH]";

// RFC 9110's least a server should take in a request line; it also keeps
// the URL within http_parser's 16-bit offsets.
constexpr std::size_t kMaxUrl = 8000;

bool same_ignoring_case(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

// Why http_parser refused a URL with an http scheme: the port, the host,
// or else the characters.
std::string explain_refusal(std::string_view url, std::size_t authority_begin) {
    const std::size_t end = url.find_first_of("/?#", authority_begin);
    std::string_view authority = url.substr(authority_begin, end - authority_begin);
    if (authority.empty()) return "has no host; write it as " + std::string(kShape);
    std::size_t colon = std::string_view::npos;
    if (authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) return "has a \"[\" without its \"]\"";
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return "has text after its \"]\" that is no port";
            colon = close + 1;
        }
    } else {
        colon = authority.rfind(':');
        const std::string whole(authority);
        if (colon != std::string_view::npos &&
            (is_ipv6_literal(whole) || is_ipv6_literal(whole.substr(0, colon)))) {
            return "has an IPv6 address without brackets; write it as http://[::1]:8080/";
        }
    }
    if (colon != std::string_view::npos) {
        const std::string_view port = authority.substr(colon + 1);
        if (port.empty()) return "has an empty port after \":\"";
        if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return "has a port that is not a number";
        if (port.size() > 5 || std::stoi(std::string(port)) > 65535)
            return "has port " + std::string(port) + ", outside 1..65535";
    }
    return "is not a valid URL (a character no URL may hold?); write it as " + std::string(kShape);
}

std::string_view part(std::string_view url, const http_parser_url& parts, int field) {
    if (!(parts.field_set & (1u << field))) return {};
    return url.substr(parts.field_data[field].off, parts.field_data[field].len);
}

}  // namespace

std::variant<HttpUrl, std::string> parse_http_url(std::string_view url) {
    if (url.size() > kMaxUrl) {
        return "is " + std::to_string(url.size()) + " bytes long; the limit is " +
               std::to_string(kMaxUrl);
    }
    const std::size_t separator = url.find("://");
    if (separator == std::string_view::npos)
        return "has no scheme; write it as " + std::string(kShape);
    const std::string_view scheme = url.substr(0, separator);
    if (same_ignoring_case(scheme, "https")) {
        return "uses https, which health checks do not support: they speak plain HTTP (use a "
               "tcp check, or an exec check that runs curl)";
    }
    if (!same_ignoring_case(scheme, "http"))
        return "has scheme \"" + std::string(scheme) + "\"; health checks speak only http://";
    http_parser_url parts;
    http_parser_url_init(&parts);
    if (http_parser_parse_url(url.data(), url.size(), 0, &parts) != 0)
        return explain_refusal(url, separator + 3);
    if (parts.field_set & (1u << UF_USERINFO))
        return "has a user name (\"...@\"), which health checks do not send";

    HttpUrl out;
    std::string host(part(url, parts, UF_HOST));
    const std::size_t host_begin = parts.field_data[UF_HOST].off;
    const bool bracketed = host_begin > 0 && url[host_begin - 1] == '[';
    if (bracketed) {
        if (!is_ipv6_literal(host)) return "has no IPv6 address in its brackets";
    } else if (same_ignoring_case(host, "localhost")) {
        host = "127.0.0.1";
    } else if (!is_ipv4_literal(host)) {
        return "needs an IP address (or localhost) as its host: health checks look up no names";
    }
    out.host = std::move(host);
    if (parts.field_set & (1u << UF_PORT)) {
        if (parts.port == 0) return "has port 0, outside 1..65535";
        out.port = parts.port;
    }
    // A host or port holds none of "/?#", so the authority ends at the first.
    const std::size_t authority_begin = separator + 3;
    const std::size_t authority_end =
        std::min(url.find_first_of("/?#", authority_begin), url.size());
    out.host_header = std::string(url.substr(authority_begin, authority_end - authority_begin));
    const std::string_view path = part(url, parts, UF_PATH);
    if (!path.empty()) out.path = std::string(path);
    if (parts.field_set & (1u << UF_QUERY))
        out.path += "?" + std::string(part(url, parts, UF_QUERY));
    return out;
}

}  // namespace superv::config::detail

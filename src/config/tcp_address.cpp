#include "tcp_address.hpp"

#include <arpa/inet.h>

namespace superv::config::detail {

bool is_ipv4_literal(const std::string& host) {
    in_addr address{};
    return ::inet_pton(AF_INET, host.c_str(), &address) == 1;
}

bool is_ipv6_literal(const std::string& host) {
    in6_addr address{};
    return ::inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

std::variant<TcpAddress, std::string> parse_tcp_address(std::string_view text,
                                                        std::string_view checks) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return "must be \"HOST:PORT\" (e.g. \"127.0.0.1:5432\", \"[::1]:5432\") or a port "
               "number";
    }
    std::string host(text.substr(0, colon));
    const auto port = parse_port(text.substr(colon + 1));
    if (!port) return "needs a port between 1 and 65535 after the last \":\"";
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
        if (!is_ipv6_literal(host)) return "has no IPv6 address in its brackets";
    } else if (host.find(':') != std::string::npos) {
        return "has an IPv6 address without brackets; write it as \"[::1]:5432\"";
    } else if (host == "localhost") {
        host = "127.0.0.1";
    } else if (!is_ipv4_literal(host)) {
        return "needs an IP address (or localhost) as its host: " + std::string(checks) +
               " look up no names";
    }
    return TcpAddress{std::move(host), *port};
}

std::optional<TcpAddress> read_tcp_address(const Field& field, std::string_view checks) {
    if (auto port = field.node.value_exact<std::int64_t>()) {
        if (*port < 1 || *port > 65535) {
            field.error("port " + std::to_string(*port) + " in " + quote(field.key) +
                        " is outside 1..65535");
            return std::nullopt;
        }
        return TcpAddress{"127.0.0.1", static_cast<int>(*port)};
    }
    if (!field.node.is_string()) {
        field.wrong_type("a port number or \"HOST:PORT\"");
        return std::nullopt;
    }
    auto text = read_string(field);
    if (!text) return std::nullopt;
    auto parsed = parse_tcp_address(*text, checks);
    if (auto* message = std::get_if<std::string>(&parsed)) {
        field.error(quote(field.key) + " address " + quote(*text) + " " + *message);
        return std::nullopt;
    }
    return std::get<TcpAddress>(std::move(parsed));
}

}  // namespace superv::config::detail

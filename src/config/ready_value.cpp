// `ready`: "notify", "healthy", { fd = N }, { tcp = PORT }, { tcp = "HOST:PORT" }
// or { log = "REGEX" }. What it needs from the rest of the program (captured
// output, a long-running type) is checked in start_checks.cpp.
#include <arpa/inet.h>

#include <algorithm>
#include <climits>
#include <variant>

#include "superv/config/compiled_regex.hpp"
#include "values.hpp"

namespace superv::config::detail {
namespace {

constexpr std::string_view kForms =
    "\"notify\", \"healthy\", { fd = N }, { tcp = PORT }, { tcp = \"HOST:PORT\" } or "
    "{ log = \"REGEX\" }";

bool is_ipv4(const std::string& host) {
    in_addr address{};
    return ::inet_pton(AF_INET, host.c_str(), &address) == 1;
}

bool is_ipv6(const std::string& host) {
    in6_addr address{};
    return ::inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

// "HOST:PORT" or "[V6]:PORT" to a readiness, or why not. The check connects
// from the event loop, which must not block on a name lookup, so the host is
// an address; "localhost" is taken as 127.0.0.1.
std::variant<Readiness, std::string> parse_tcp(std::string_view text) {
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
        if (!is_ipv6(host)) return "has no IPv6 address in its brackets";
    } else if (host.find(':') != std::string::npos) {
        return "has an IPv6 address without brackets; write it as \"[::1]:5432\"";
    } else if (host == "localhost") {
        host = "127.0.0.1";
    } else if (!is_ipv4(host)) {
        return "needs an IP address (or localhost) as its host: readiness checks look up no "
               "names";
    }
    Readiness ready;
    ready.kind = Readiness::Kind::Tcp;
    ready.host = std::move(host);
    ready.port = *port;
    return ready;
}

std::optional<Readiness> read_fd(const Field& field) {
    // The upper bound depends on `rlimits` and is checked with the whole table.
    auto fd = read_int(field, 3, INT_MAX);
    if (!fd) return std::nullopt;
    Readiness ready;
    ready.kind = Readiness::Kind::Fd;
    ready.fd = *fd;
    return ready;
}

std::optional<Readiness> read_tcp(const Field& field) {
    if (auto port = field.node.value_exact<std::int64_t>()) {
        if (*port < 1 || *port > 65535) {
            field.error("port " + std::to_string(*port) + " in " + quote(field.key) +
                        " is outside 1..65535");
            return std::nullopt;
        }
        Readiness ready;
        ready.kind = Readiness::Kind::Tcp;
        ready.host = "127.0.0.1";
        ready.port = static_cast<int>(*port);
        return ready;
    }
    if (!field.node.is_string()) {
        field.wrong_type("a port number or \"HOST:PORT\"");
        return std::nullopt;
    }
    auto text = read_string(field);
    if (!text) return std::nullopt;
    auto parsed = parse_tcp(*text);
    if (auto* message = std::get_if<std::string>(&parsed)) {
        field.error(quote(field.key) + " address " + quote(*text) + " " + *message);
        return std::nullopt;
    }
    return std::get<Readiness>(std::move(parsed));
}

std::optional<Readiness> read_log(const Field& field) {
    auto pattern = read_string(field);
    if (!pattern) return std::nullopt;
    auto compiled = compile_regex(*pattern);
    if (auto* message = std::get_if<std::string>(&compiled)) {
        field.error(quote(field.key) + " is not a valid regular expression: " + *message);
        return std::nullopt;
    }
    Readiness ready;
    ready.kind = Readiness::Kind::Log;
    ready.pattern = std::move(*pattern);
    ready.compiled = std::get<std::shared_ptr<const CompiledRegex>>(std::move(compiled));
    return ready;
}

std::optional<Readiness> from_table(const Field& field, const toml::table& table) {
    struct Kind {
        std::string_view key;
        std::optional<Readiness> (*read)(const Field&);
    };
    static constexpr Kind kKinds[] = {{"fd", read_fd}, {"tcp", read_tcp}, {"log", read_log}};
    static constexpr std::string_view kKeys[] = {"fd", "tcp", "log"};
    if (table.empty()) {
        field.error(quote(field.key) + " must be one of " + std::string(kForms) + ", not {}");
        return std::nullopt;
    }
    // In file order, so that a second kind is the one reported.
    std::vector<std::pair<const toml::key*, const toml::node*>> entries;
    for (auto&& [key, value] : table)
        entries.emplace_back(&key, &value);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.first->source().begin < b.first->source().begin;
    });
    std::optional<Readiness> ready;
    bool ok = true;
    std::string_view first;
    for (const auto& [key_ptr, value_ptr] : entries) {
        const toml::key& key = *key_ptr;
        const toml::node& value = *value_ptr;
        const auto* kind = std::find_if(std::begin(kKinds), std::end(kKinds),
                                        [&](const Kind& k) { return k.key == key.str(); });
        if (kind == std::end(kKinds)) {
            field.ctx.diag.error(key.source(), "unknown key " + quote(key.str()) + " in " +
                                                   quote(field.key) + " (one of fd, tcp, log)" +
                                                   did_you_mean(key.str(), kKeys));
            ok = false;
        } else if (!first.empty()) {
            field.ctx.diag.error(key.source(), quote(field.key) +
                                                   " takes one of fd, tcp and log, "
                                                   "not both " +
                                                   quote(first) + " and " + quote(key.str()));
            ok = false;
        } else {
            first = kind->key;
            ready = kind->read(Field{key.str(), value, field.ctx});
            ok = ready.has_value() && ok;
        }
    }
    if (!ok) return std::nullopt;
    return ready;
}

}  // namespace

std::optional<Readiness> read_ready(const Field& field) {
    static constexpr std::string_view kWords[] = {"notify", "healthy"};
    if (const auto* table = field.node.as_table()) return from_table(field, *table);
    const auto text = field.node.value_exact<std::string>();
    if (!text) {
        field.wrong_type(kForms);
        return std::nullopt;
    }
    Readiness ready;
    if (*text == "notify") {
        ready.kind = Readiness::Kind::Notify;
    } else if (*text == "healthy") {
        ready.kind = Readiness::Kind::Healthy;
    } else {
        field.error(quote(field.key) + " must be one of " + std::string(kForms) + ", not " +
                    quote(*text) + did_you_mean(*text, kWords));
        return std::nullopt;
    }
    return ready;
}

}  // namespace superv::config::detail

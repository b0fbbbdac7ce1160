// `ready`: "notify", "healthy", { fd = N }, { tcp = PORT }, { tcp = "HOST:PORT" }
// or { log = "REGEX" }. What it needs from the rest of the program (captured
// output, a long-running type) is checked in start_checks.cpp.
#include <algorithm>
#include <climits>
#include <variant>

#include "superv/config/compiled_regex.hpp"
#include "tcp_address.hpp"
#include "values.hpp"

namespace superv::config::detail {
namespace {

constexpr std::string_view kForms =
    "\"notify\", \"healthy\", { fd = N }, { tcp = PORT }, { tcp = \"HOST:PORT\" } or "
    "{ log = \"REGEX\" }";

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
    auto address = read_tcp_address(field, "readiness checks");
    if (!address) return std::nullopt;
    Readiness ready;
    ready.kind = Readiness::Kind::Tcp;
    ready.host = std::move(address->host);
    ready.port = address->port;
    return ready;
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

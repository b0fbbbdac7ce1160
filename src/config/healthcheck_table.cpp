// [programs.NAME.healthcheck]: one probe (http, tcp or exec) and Docker's
// knobs. What it needs from the rest of the program (a long-running type)
// is checked in start_checks.cpp, what `healthy` conditions need from their
// targets in check_dependencies.cpp.
#include <algorithm>
#include <climits>
#include <variant>

#include "http_url.hpp"
#include "table_reader.hpp"
#include "tables.hpp"
#include "tcp_address.hpp"
#include "toml_text.hpp"

namespace superv::config::detail {
namespace {

using H = HealthCheck;

// The check being read, and whether `interval` or `timeout` was rejected
// (then the two are not compared).
struct HealthDraft {
    HealthCheck check;
    bool timing_rejected = false;
};
using D = HealthDraft;

constexpr std::string_view kProbeKeys[] = {"http", "tcp", "exec"};

void read_http_probe(D& draft, const Field& field) {
    H& check = draft.check;
    auto url = read_string(field);
    if (!url) return;
    auto parsed = parse_http_url(*url);
    if (auto* message = std::get_if<std::string>(&parsed)) {
        field.error(quote(field.key) + " URL " + quote(*url) + " " + *message);
        return;
    }
    HttpUrl& parts = std::get<HttpUrl>(parsed);
    check.kind = H::Kind::Http;
    check.url = std::move(*url);
    check.host = std::move(parts.host);
    check.port = parts.port;
    check.host_header = std::move(parts.host_header);
    check.path = std::move(parts.path);
}

void read_tcp_probe(D& draft, const Field& field) {
    H& check = draft.check;
    auto address = read_tcp_address(field, "health checks");
    if (!address) return;
    check.kind = H::Kind::Tcp;
    check.host = std::move(address->host);
    check.port = address->port;
}

void read_exec_probe(D& draft, const Field& field) {
    H& check = draft.check;
    auto argv = read_command(field);
    if (!argv) return;
    check.kind = H::Kind::Exec;
    check.command = std::move(*argv);
}

// interval and timeout: a check of 0 s could never pass, one every 0 s
// would spin the loop.
void read_positive_seconds(D& draft, Millis& target, const Field& field) {
    auto seconds = read_duration(field);
    if (seconds && seconds->count() == 0) {
        field.error(quote(field.key) + " must be above 0 seconds (at least 0.001)");
        seconds.reset();
    }
    if (seconds) {
        target = *seconds;
    } else {
        draft.timing_rejected = true;
    }
}

void read_on_unhealthy(D& draft, const Field& field) {
    H& check = draft.check;
    static constexpr std::string_view kActions[] = {"restart", "none"};
    const auto text = field.node.value_exact<std::string>();
    if (!text) {
        field.wrong_type("\"restart\" or \"none\"");
    } else if (*text == "restart" || *text == "none") {
        check.restart_on_unhealthy = *text == "restart";
    } else {
        field.error(quote(field.key) + " must be \"restart\" or \"none\", not " + quote(*text) +
                    did_you_mean(*text, kActions));
    }
}

constexpr KeyReader<D> kHealthKeys[] = {
    {"http", read_http_probe},
    {"tcp", read_tcp_probe},
    {"exec", read_exec_probe},
    {"interval", [](D& d, const Field& f) { read_positive_seconds(d, d.check.interval, f); }},
    {"timeout", [](D& d, const Field& f) { read_positive_seconds(d, d.check.timeout, f); }},
    {"retries",
     [](D& d, const Field& f) {
         if (auto n = read_int(f, 1, INT_MAX)) d.check.retries = *n;
     }},
    {"start_period",
     [](D& d, const Field& f) {
         if (auto period = read_duration(f)) d.check.start_period = *period;
     }},
    {"on_unhealthy", read_on_unhealthy},
};

// Exactly one probe; a second is reported at itself, in file order.
void check_one_probe(const toml::table& table, const SourcePos& pos, const std::string& where,
                     Diagnostics& diag) {
    std::vector<std::pair<std::string_view, const toml::node*>> probes;
    for (std::string_view key : kProbeKeys) {
        if (const toml::node* node = table.get(key)) probes.emplace_back(key, node);
    }
    std::sort(probes.begin(), probes.end(), [](const auto& a, const auto& b) {
        return a.second->source().begin < b.second->source().begin;
    });
    if (probes.empty()) {
        diag.error(pos, where + " sets no probe: set exactly one of http, tcp, exec");
        return;
    }
    for (std::size_t i = 1; i < probes.size(); ++i) {
        diag.error(probes[i].second->source(), where + " sets both " + quote(probes[0].first) +
                                                   " and " + quote(probes[i].first) +
                                                   ": set exactly one of http, tcp, exec");
    }
}

// A check still running when the next is due would overlap it, so the
// timeout is below the interval; reported at `timeout` when it is set.
void check_timeout_below_interval(const H& check, const toml::table& table, Diagnostics& diag) {
    if (check.timeout < check.interval) return;
    const toml::node* timeout = table.get("timeout");
    const toml::node* interval = table.get("interval");
    const std::string timeout_text =
        toml_seconds(check.timeout) + " s" + (timeout ? "" : ", the default");
    const std::string interval_text =
        toml_seconds(check.interval) + " s" + (interval ? "" : ", the default");
    const toml::node* at = timeout ? timeout : interval;
    diag.error(at->source(), "\"timeout\" (" + timeout_text + ") must be below \"interval\" (" +
                                 interval_text + ")");
}

}  // namespace

std::optional<HealthCheck> read_healthcheck(const Field& field, std::string_view program) {
    const std::string where = "[programs." + std::string(program) + ".healthcheck]";
    const toml::table* table = field.node.as_table();
    if (!table) {
        field.wrong_type("a table (" + where + ")");
        return std::nullopt;
    }
    const std::size_t errors = field.ctx.diag.count();
    HealthDraft draft;
    draft.check.pos = field.ctx.diag.at(table->source());
    read_keys<D>(*table, kHealthKeys, draft, field.ctx, where);
    check_one_probe(*table, draft.check.pos, where, field.ctx.diag);
    if (!draft.timing_rejected) check_timeout_below_interval(draft.check, *table, field.ctx.diag);
    // After an error the config is refused anyway, but the checks across
    // programs still run: a table whose probe was rejected still counts as a
    // check there, so that `healthy` on it is not reported as well.
    if (field.ctx.diag.count() != errors && draft.check.kind == H::Kind::None) {
        const bool has_probe =
            std::any_of(std::begin(kProbeKeys), std::end(kProbeKeys),
                        [&](std::string_view key) { return table->contains(key); });
        if (!has_probe) return std::nullopt;
        draft.check.kind = table->contains("http")  ? H::Kind::Http
                           : table->contains("tcp") ? H::Kind::Tcp
                                                    : H::Kind::Exec;
    }
    return draft.check;
}

}  // namespace superv::config::detail

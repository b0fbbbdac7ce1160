#include "accounts.hpp"
#include "table_reader.hpp"
#include "tables.hpp"

namespace superv::config::detail {
namespace {

using D = DaemonConfig;

std::optional<std::string> read_log_level(const Field& field) {
    static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error"};
    auto level = read_string(field);
    if (!level) return std::nullopt;
    for (std::string_view known : kLevels) {
        if (*level == known) return level;
    }
    field.error(quote(field.key) + " must be one of trace, debug, info, warn, error, not " +
                quote(*level) + did_you_mean(*level, kLevels));
    return std::nullopt;
}

constexpr KeyReader<D> kDaemonKeys[] = {
    {"socket",
     [](D& d, const Field& f) {
         if (auto path = read_path(f)) d.socket = std::move(*path);
     }},
    {"socket_mode",
     [](D& d, const Field& f) {
         if (auto mode = read_mode(f, 0777)) d.socket_mode = *mode;
     }},
    {"socket_group",
     [](D& d, const Field& f) {
         // Only chown()ed to, never switched to: existing is enough.
         if (auto group = read_group(f, false)) d.socket_group = std::move(*group);
     }},
    {"log_level",
     [](D& d, const Field& f) {
         if (auto level = read_log_level(f)) d.log_level = std::move(*level);
     }},
    {"shutdown_timeout",
     [](D& d, const Field& f) {
         if (auto timeout = read_duration(f)) d.shutdown_timeout = *timeout;
     }},
};

}  // namespace

void read_daemon(const toml::table& table, DaemonConfig& daemon, Context& ctx) {
    read_keys<D>(table, kDaemonKeys, daemon, ctx, "[superv]");
}

}  // namespace superv::config::detail

#include <climits>

#include "accounts.hpp"
#include "table_reader.hpp"
#include "tables.hpp"

namespace superv::config::detail {
namespace {

using D = DaemonConfig;

template <class T, class U>
void assign(T& target, std::optional<U>&& value) {
    if (value) target = std::move(*value);
}

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
    {"http", [](D& d, const Field& f) { assign(d.http, read_http(f)); }},
    {"identifier", [](D& d, const Field& f) { assign(d.identifier, read_string(f)); }},
    {"logfile",
     [](D& d, const Field& f) {
         if (auto path = read_path(f)) d.logfile.target = {LogTarget::Kind::File, std::move(*path)};
     }},
    {"logfile_maxbytes", [](D& d, const Field& f) { assign(d.logfile.max_bytes, read_size(f)); }},
    {"logfile_backups",
     [](D& d, const Field& f) { assign(d.logfile.backups, read_int(f, 0, INT_MAX)); }},
    {"user", [](D& d, const Field& f) { assign(d.user, read_user(f)); }},
    {"directory", [](D& d, const Field& f) { assign(d.directory, read_path(f)); }},
    {"umask", [](D& d, const Field& f) { assign(d.umask, read_mode(f, 0777)); }},
    {"environment", [](D& d, const Field& f) { assign(d.environment, read_environment(f)); }},
    {"minfds", [](D& d, const Field& f) { assign(d.minfds, read_int(f, 1, INT_MAX)); }},
    {"minprocs", [](D& d, const Field& f) { assign(d.minprocs, read_int(f, 1, INT_MAX)); }},
    {"pidfile", [](D& d, const Field& f) { assign(d.pidfile, read_path(f)); }},
};

// The HTTP server and the control socket are two servers: one path cannot
// be both.
void check_socket_paths(const DaemonConfig& daemon, Diagnostics& diag) {
    for (const HttpListener& listener : daemon.http) {
        if (listener.kind == HttpListener::Kind::Unix && listener.path == daemon.socket) {
            diag.error(listener.pos, quote(listener.path) +
                                         " is the control socket (\"socket\"); the HTTP server "
                                         "needs a path of its own");
        }
    }
}

}  // namespace

void read_daemon(const toml::table& table, DaemonConfig& daemon, Context& ctx) {
    read_keys<D>(table, kDaemonKeys, daemon, ctx, "[superv]");
    apply_socket_options(daemon);
    check_socket_paths(daemon, ctx.diag);
}

}  // namespace superv::config::detail

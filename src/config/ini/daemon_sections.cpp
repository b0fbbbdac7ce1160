// [supervisord] and [superv]: the daemon's own settings.
#include <climits>
#include <cmath>
#include <cstdlib>

#include "../accounts.hpp"
#include "py_values.hpp"
#include "sections.hpp"
#include "superv/common/round.hpp"

namespace superv::config::detail::ini {
namespace {

constexpr std::string_view kSupervisordOptions[] = {
    "logfile",  "logfile_maxbytes", "logfile_backups", "loglevel",    "pidfile",    "umask",
    "nodaemon", "silent",           "minfds",          "minprocs",    "nocleanup",  "childlogdir",
    "user",     "directory",        "strip_ansi",      "environment", "identifier",
};

constexpr std::string_view kSupervOptions[] = {"socket", "socket_mode", "socket_group",
                                               "shutdown_timeout"};

// supervisord's levels onto superv's: critical has no level of its own
// here, blather is the chattiest.
std::optional<std::string> log_level(std::string_view text) {
    const std::string lowered = py_lower(text);
    if (lowered == "critical" || lowered == "error") return "error";
    if (lowered == "warn" || lowered == "info" || lowered == "debug" || lowered == "trace") {
        return lowered;
    }
    if (lowered == "blather") return "trace";
    return std::nullopt;
}

// tempfile.gettempdir(): the first of $TMPDIR, $TEMP, $TMP that is a
// directory, else /tmp.
std::string temp_dir() {
    for (const char* variable : {"TMPDIR", "TEMP", "TMP"}) {
        const char* value = std::getenv(variable);
        if (value && *value && is_directory(value)) return normalize_path(value);
    }
    return "/tmp";
}

// The path `text` of `option` when its directory exists (existing_dirpath);
// "~" expanded.
std::optional<std::string> existing_dirpath(SectionReader& r, const IniOption& option,
                                            const std::string& text) {
    std::string path = normalize_path(resolve_in(option.value.here, expand_user(text)));
    if (parent_directory_exists(path)) return path;
    r.error(option, r.what(option) + ": the directory of " + quote(path) + " does not exist");
    return std::nullopt;
}

// A directory option that must name an existing directory (existing_directory).
std::optional<std::string> directory(SectionReader& r, std::string_view key, const Names& names) {
    const IniOption* option = r.option(key);
    if (!option) return std::nullopt;
    auto text = r.expanded(*option, names);
    if (!text) return std::nullopt;
    std::string path = normalize_path(resolve_in(option->value.here, expand_user(*text)));
    if (!is_directory(path)) {
        r.error(*option, r.what(*option) + ": " + quote(path) + " is not an existing directory");
        return std::nullopt;
    }
    return path;
}

void read_logfile(SectionReader& r, const Names& names, LogSpec& log) {
    const long long max_bytes = r.value("logfile_maxbytes", names, 50ll * 1024 * 1024, byte_size,
                                        "a size like 1024, 10KB or 50MB");
    if (max_bytes < 0)
        r.error(*r.option("logfile_maxbytes"), "\"logfile_maxbytes\" must not be negative");
    log.max_bytes = static_cast<std::uint64_t>(std::max(0ll, max_bytes));
    log.backups = static_cast<int>(r.integer("logfile_backups", names, 10, 0, INT_MAX));
    // supervisord's default is supervisord.log in its working directory;
    // superv's own log goes to stderr only unless a file is named.
    const IniOption* option = r.option("logfile");
    auto text = option ? r.expanded(*option, names) : std::nullopt;
    if (!text) return;
    if (*text == "syslog") {
        r.warn(*option, "logfile = syslog: superv does not log to syslog; its log goes to stderr");
        return;
    }
    auto path = existing_dirpath(r, *option, *text);
    if (!path || *path == "/dev/stderr") return;
    if (*path == "/dev/stdout") {
        r.warn(*option,
               "logfile = /dev/stdout: superv's own log always goes to its stderr, so "
               "this adds nothing");
        return;
    }
    log.target = {LogTarget::Kind::File, *path};
}

// A flag superv cannot honour: warned about only when set to what it cannot do.
void flag_superv_ignores(SectionReader& r, std::string_view key, const Names& names,
                         bool unsupported, std::string_view why) {
    const IniOption* option = r.option(key);
    if (option &&
        r.value_of(*option, names, !unsupported, py_boolean, "true or false") == unsupported) {
        r.warn(*option, quote(key) + " = " + (unsupported ? "true" : "false") +
                            " is ignored: " + std::string(why));
    }
}

void read_environment(SectionReader& r, const Names& names, DaemonConfig& daemon) {
    const IniOption* option = r.option("environment");
    if (!option) return;
    // Expanded twice, as supervisord does; the second time host_node_name is known too.
    auto once = r.expanded(*option, names);
    if (!once) return;
    const NameTable host{{"host_node_name", r.ctx().node_name}};
    Names second = names;
    second.add(host);
    IniValue again{*once, {{0, option->value.pos()}}, option->value.here};
    auto twice = expand(again, second, r.what(*option) + " of [supervisord]", r.ctx().errors);
    if (!twice) return;
    std::string why;
    auto pairs = key_value_pairs(*twice, why);
    if (!pairs) {
        r.error(*option, "\"environment\" of [supervisord]: " + why);
        return;
    }
    daemon.environment = std::move(*pairs);
    for (const auto& [key, value] : daemon.environment)
        r.ctx().daemon_environ["ENV_" + key] = value;
}

void read_daemon_user(SectionReader& r, const Names& names, DaemonConfig& daemon) {
    const IniOption* option = r.option("user");
    if (!option) return;
    auto text = r.expanded(*option, names);
    if (!text) return;
    std::string problem;
    auto user = find_user(*text, problem);
    if (!user) {
        r.error(*option, problem);
        return;
    }
    const Identity& self = r.ctx().identity;
    if (self.uid != 0 && user->id != self.uid) {
        // supervisord exits at start for the same reason.
        r.error(*option, "superv runs as uid " + std::to_string(self.uid) +
                             " and cannot switch to user " + quote(user->name) +
                             "; run superv as root or remove \"user\"");
        return;
    }
    daemon.user = user->name;
}

}  // namespace

void read_supervisord(IniContext& ctx, const IniSection* section, DaemonConfig& daemon) {
    daemon.umask = 022;  // supervisord's default umask, which its children inherit
    daemon.minfds = 1024;
    daemon.minprocs = 200;
    ctx.childlogdir = temp_dir();
    if (!section) return;
    SectionReader r(ctx, *section);
    const Names names = ctx.environ_names();
    daemon.minfds = static_cast<int>(r.integer("minfds", names, 1024, 0, INT_MAX));
    daemon.minprocs = static_cast<int>(r.integer("minprocs", names, 200, 0, INT_MAX));
    if (auto dir = directory(r, "directory", names)) daemon.directory = *dir;
    read_daemon_user(r, names, daemon);
    if (const IniOption* umask = r.option("umask")) {
        auto mode = r.value_of(*umask, names, std::optional<long long>{}, py_octal,
                               "an octal mode like 022");
        if (mode && (*mode < 0 || *mode > 0777)) {
            r.error(*umask, "\"umask\" must be between 0 and 0777");
        } else if (mode) {
            daemon.umask = static_cast<mode_t>(*mode);
        }
    }
    read_logfile(r, names, daemon.logfile);
    daemon.log_level = r.value("loglevel", names, std::string("info"), log_level,
                               "one of critical, error, warn, info, debug, trace, blather");
    if (const IniOption* option = r.option("pidfile")) {
        if (auto text = r.expanded(*option, names)) {
            if (auto path = existing_dirpath(r, *option, *text)) daemon.pidfile = *path;
        }
    }
    if (auto identifier = r.text("identifier", names)) {
        daemon.identifier = *identifier;
        ctx.identifier = *identifier;
    }
    flag_superv_ignores(r, "nodaemon", names, false,
                        "superv always runs in the foreground and never forks itself away");
    flag_superv_ignores(r, "silent", names, true, "superv's own log always goes to stderr");
    if (auto dir = directory(r, "childlogdir", names)) ctx.childlogdir = *dir;
    flag_superv_ignores(r, "nocleanup", names, false,
                        "superv never deletes AUTO log files at start (their names are fixed)");
    flag_superv_ignores(r, "strip_ansi", names, true,
                        "superv writes program output to log files unchanged");
    read_environment(r, names, daemon);
    r.warn_unknown(kSupervisordOptions);
}

void read_superv(IniContext& ctx, const IniSection& section, DaemonConfig& daemon) {
    SectionReader r(ctx, section);
    const Names names = ctx.all_environ_names();
    if (const IniOption* option = r.option("socket")) {
        if (auto text = r.expanded(*option, names)) {
            if (text->empty()) {
                r.error(*option, "\"socket\" must not be empty");
            } else {
                daemon.socket = resolve_in(option->value.here, *text);
            }
        }
    }
    if (const IniOption* option = r.option("socket_mode")) {
        auto mode = r.value_of(*option, names, std::optional<long long>{}, py_octal,
                               "an octal mode like 0660");
        if (mode && (*mode < 0 || *mode > 0777)) {
            r.error(*option, "\"socket_mode\" must be between 0 and 0777");
        } else if (mode) {
            daemon.socket_mode = static_cast<mode_t>(*mode);
        }
    }
    if (const IniOption* option = r.option("socket_group")) {
        if (auto text = r.expanded(*option, names)) {
            std::string problem;
            if (auto group = find_group(*text, problem)) {
                daemon.socket_group = group->name;
            } else {
                r.error(*option, problem);
            }
        }
    }
    auto seconds = [](std::string_view text) -> std::optional<double> {
        std::string copy(py_strip(text));
        char* end = nullptr;
        double value = std::strtod(copy.c_str(), &end);
        if (copy.empty() || *end != '\0' || !std::isfinite(value) || value < 0 || value > 1e9) {
            return std::nullopt;
        }
        return value;
    };
    double timeout = r.value("shutdown_timeout", names, 30.0, seconds,
                             "a number of seconds between 0 and 1000000000");
    daemon.shutdown_timeout = Millis{seconds_to_millis(timeout)};
    r.refuse_unknown(kSupervOptions);
}

}  // namespace superv::config::detail::ini

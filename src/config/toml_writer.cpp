#include "superv/config/toml_writer.hpp"

#include <string_view>

#include "diagnostics.hpp"
#include "privileges.hpp"
#include "superv/common/signal_names.hpp"
#include "tables.hpp"
#include "toml_simplify.hpp"
#include "toml_text.hpp"

namespace superv::config {
namespace {

using namespace detail;

// One [table]: its header and the `key = value` lines that differ from the
// defaults.
class Section {
  public:
    explicit Section(std::string header) : text_("[" + std::move(header) + "]\n") {}
    void add(std::string_view key, const std::string& value) {
        text_ += toml_key(key) + " = " + value + "\n";
        empty_ = false;
    }
    bool empty() const { return empty_; }
    const std::string& text() const { return text_; }

  private:
    std::string text_;
    bool empty_ = true;
};

// Comments at the top of the output: what the config cannot keep in TOML.
using Notes = std::vector<ConfigError>;

std::string log_target(const LogTarget& target) {
    switch (target.kind) {
        case LogTarget::Kind::Inherit:
            return "\"inherit\"";
        case LogTarget::Kind::None:
            return "\"none\"";
        case LogTarget::Kind::File:
            break;
    }
    return toml_string(target.path);
}

void add_log(Section& section, const std::string& prefix, const LogSpec& log,
             const LogSpec& defaults) {
    if (log.target != defaults.target) section.add(prefix, log_target(log.target));
    if (log.max_bytes != defaults.max_bytes) {
        section.add(prefix + "_maxbytes", toml_size(log.max_bytes));
    }
    if (log.backups != defaults.backups) {
        section.add(prefix + "_backups", std::to_string(log.backups));
    }
}

std::string autorestart_text(AutoRestart autorestart) {
    switch (autorestart) {
        case AutoRestart::Always:
            return "\"always\"";
        case AutoRestart::Never:
            return "\"never\"";
        case AutoRestart::OnFailure:
            break;
    }
    return "\"on-failure\"";
}

std::string bool_text(bool value) {
    return value ? "true" : "false";
}

std::string exitcodes_text(const std::vector<int>& codes) {
    std::string out = "[";
    for (int code : codes)
        out += (out.size() > 1 ? ", " : "") + std::to_string(code);
    return out + "]";
}

// "INT"; a signal without a name (SIGRTMIN+N) as its number.
std::string signal_text(int sig) {
    const std::string name = signal_name(sig);
    return name == std::to_string(sig) ? name : toml_string(name);
}

std::string capabilities_text(std::uint64_t mask) {
    std::vector<std::string> names;
    for (int cap = 0; cap < 64; ++cap) {
        if (mask & (std::uint64_t{1} << cap)) names.push_back(capability_name(cap));
    }
    return toml_strings(names);
}

std::string limit_value(std::uint64_t value, bool bytes) {
    if (value == ResourceLimit::kUnlimited) return "\"unlimited\"";
    return bytes ? toml_size(value) : std::to_string(value);
}

std::string rlimits_text(const std::vector<ResourceLimit>& limits) {
    std::string out;
    for (const ResourceLimit& limit : limits) {
        const auto name = resource_name(limit.resource);
        if (!name) continue;  // neither loader makes one
        out += (out.empty() ? "{ " : ", ") + std::string(name->name) + " = ";
        if (limit.soft == limit.hard) {
            out += limit_value(limit.soft, name->bytes);
        } else {
            out += "{ soft = " + limit_value(limit.soft, name->bytes) +
                   ", hard = " + limit_value(limit.hard, name->bytes) + " }";
        }
    }
    return out.empty() ? "{}" : out + " }";
}

// Identity and how it runs.
void add_process_keys(Section& s, const ProgramConfig& p, const ProgramConfig& d) {
    s.add("command", toml_strings(p.command));
    if (p.directory != d.directory) s.add("directory", toml_string(p.directory));
    if (p.environment != d.environment) s.add("environment", toml_inline_table(p.environment));
    if (p.user != d.user) s.add("user", toml_string(p.user));
    if (p.group != d.group) s.add("group", toml_string(p.group));
    if (p.umask) s.add("umask", toml_mode(*p.umask));
    if (p.stdin_pipe) s.add("stdin", "\"pipe\"");
    if (p.serverurl != d.serverurl) s.add("serverurl", toml_string(p.serverurl));
}

// Its lifecycle: starting, restarting, stopping.
void add_lifecycle_keys(Section& s, const ProgramConfig& p, const ProgramConfig& d, Notes& notes) {
    if (p.autostart != d.autostart) s.add("autostart", bool_text(p.autostart));
    if (p.autorestart != d.autorestart) s.add("autorestart", autorestart_text(p.autorestart));
    if (p.exitcodes != d.exitcodes) s.add("exitcodes", exitcodes_text(p.exitcodes));
    if (p.startsecs != d.startsecs) s.add("startsecs", toml_seconds(p.startsecs));
    if (p.startretries != d.startretries) s.add("startretries", std::to_string(p.startretries));
    if (p.stopsignal != d.stopsignal) s.add("stopsignal", signal_text(p.stopsignal));
    if (p.stopwaitsecs != d.stopwaitsecs) s.add("stopwaitsecs", toml_seconds(p.stopwaitsecs));
    if (p.stopasgroup) s.add("stopasgroup", "true");
    if (p.killasgroup && !p.stopasgroup) s.add("killasgroup", "true");
    if (p.stopasgroup && !p.killasgroup) {
        notes.push_back({p.pos, "program " + quote(p.name) +
                                    ": killasgroup = false next to stopasgroup = true has no "
                                    "TOML spelling; stopasgroup implies killasgroup"});
    }
    if (p.numprocs != d.numprocs) s.add("numprocs", std::to_string(p.numprocs));
    if (p.priority != d.priority) s.add("priority", std::to_string(p.priority));
    if (p.critical) s.add("critical", "true");
}

// Its place in the start order.
void add_start_keys(Section& s, const ProgramConfig& p, const ProgramConfig& d) {
    if (p.type == ProgramType::Oneshot) s.add("type", "\"oneshot\"");
    if (!p.depends_on.empty()) s.add("depends_on", toml_depends_on(p.depends_on));
    if (p.ready.kind == Readiness::Kind::None) return;
    s.add("ready", toml_ready(p.ready));
    if (p.ready_timeout != d.ready_timeout) s.add("ready_timeout", toml_seconds(p.ready_timeout));
}

// [programs.NAME.healthcheck], or "" without a check.
std::string healthcheck_text(const ProgramConfig& p) {
    static const HealthCheck kDefaults;
    const HealthCheck& h = p.healthcheck;
    Section s("programs." + toml_key(p.name) + ".healthcheck");
    switch (h.kind) {
        case HealthCheck::Kind::None:
            return {};
        case HealthCheck::Kind::Http:
            s.add("http", toml_string(h.url));
            break;
        case HealthCheck::Kind::Tcp:
            s.add("tcp", toml_tcp_address(h.host, h.port));
            break;
        case HealthCheck::Kind::Exec:
            s.add("exec", toml_strings(h.command));
            break;
    }
    if (h.interval != kDefaults.interval) s.add("interval", toml_seconds(h.interval));
    if (h.timeout != kDefaults.timeout) s.add("timeout", toml_seconds(h.timeout));
    if (h.retries != kDefaults.retries) s.add("retries", std::to_string(h.retries));
    if (h.start_period != kDefaults.start_period) {
        s.add("start_period", toml_seconds(h.start_period));
    }
    if (!h.restart_on_unhealthy) s.add("on_unhealthy", "\"none\"");
    return s.text();
}

void add_output_keys(Section& s, const ProgramConfig& p, const ProgramConfig& d) {
    add_log(s, "stdout_logfile", p.stdout_log, d.stdout_log);
    add_log(s, "stderr_logfile", p.stderr_log, d.stderr_log);
    if (p.redirect_stderr) s.add("redirect_stderr", "true");
}

void add_privilege_keys(Section& s, const ProgramConfig& p) {
    if (p.capabilities) s.add("capabilities", capabilities_text(*p.capabilities));
    if (p.no_new_privs) s.add("no_new_privs", "true");
    if (!p.rlimits.empty()) s.add("rlimits", rlimits_text(p.rlimits));
    if (p.clear_environment) s.add("clear_environment", "true");
}

std::string program_text(const ProgramConfig& program, Notes& notes) {
    static const ProgramConfig kDefaults;
    Section section("programs." + toml_key(program.name));
    add_process_keys(section, program, kDefaults);
    add_lifecycle_keys(section, program, kDefaults, notes);
    add_start_keys(section, program, kDefaults);
    add_output_keys(section, program, kDefaults);
    add_privilege_keys(section, program);
    const std::string healthcheck = healthcheck_text(program);
    return section.text() + (healthcheck.empty() ? "" : "\n" + healthcheck);
}

std::string group_text(const GroupConfig& group) {
    Section section("groups." + toml_key(group.name));
    section.add("programs", toml_strings(group.programs));
    if (group.priority) section.add("priority", std::to_string(*group.priority));
    return section.text();
}

std::string daemon_text(const DaemonConfig& d) {
    static const DaemonConfig kDefaults;
    Section s("superv");
    if (d.socket != kDefaults.socket) s.add("socket", toml_string(d.socket));
    if (d.socket_mode) s.add("socket_mode", toml_mode(*d.socket_mode));
    if (d.socket_group != kDefaults.socket_group)
        s.add("socket_group", toml_string(d.socket_group));
    if (d.log_level != kDefaults.log_level) s.add("log_level", toml_string(d.log_level));
    if (d.shutdown_timeout != kDefaults.shutdown_timeout) {
        s.add("shutdown_timeout", toml_seconds(d.shutdown_timeout));
    }
    if (d.identifier != kDefaults.identifier) s.add("identifier", toml_string(d.identifier));
    // Only a file is a choice: without one superv logs to stderr alone.
    LogSpec logfile = d.logfile;
    if (logfile.target.kind != LogTarget::Kind::File) logfile.target = kDefaults.logfile.target;
    add_log(s, "logfile", logfile, kDefaults.logfile);
    if (d.pidfile != kDefaults.pidfile) s.add("pidfile", toml_string(d.pidfile));
    if (d.user != kDefaults.user) s.add("user", toml_string(d.user));
    if (d.directory != kDefaults.directory) s.add("directory", toml_string(d.directory));
    if (d.umask) s.add("umask", toml_mode(*d.umask));
    if (d.environment != kDefaults.environment) {
        s.add("environment", toml_inline_table(d.environment));
    }
    if (d.minfds != kDefaults.minfds) s.add("minfds", std::to_string(d.minfds));
    if (d.minprocs != kDefaults.minprocs) s.add("minprocs", std::to_string(d.minprocs));
    return s.empty() ? std::string() : s.text();
}

// What a listener had that [superv.http] gives every listener alike.
void note_http_differences(const DaemonConfig& daemon, Notes& notes) {
    const HttpListener& first = daemon.http.front();
    const mode_t mode = daemon.socket_mode.value_or(0600);
    for (const HttpListener& listener : daemon.http) {
        const std::string name = "HTTP listener " + quote(listen_address(listener));
        if (listener.username != first.username || listener.password != first.password) {
            notes.push_back({listener.pos, name + ": its username and password are not kept; "
                                                  "[superv.http] gives every listener the first "
                                                  "one's"});
        }
        if (listener.kind != HttpListener::Kind::Unix) continue;
        // connect(2) needs only write permission on a socket: execute bits
        // (supervisord's default chmod is 0700) change nothing.
        if ((listener.mode & 0666) != (mode & 0666)) {
            notes.push_back({listener.pos, name + ": its mode " + toml_mode(listener.mode) +
                                               " is not kept; a unix listener gets [superv] "
                                               "socket_mode (" +
                                               toml_mode(mode) +
                                               "), which is the control socket's too"});
        }
        if (listener.group != daemon.socket_group) {
            notes.push_back({listener.pos, name + ": its group " + quote(listener.group) +
                                               " is not kept; a unix listener gets [superv] "
                                               "socket_group, which is the control socket's too"});
        }
        if (!listener.owner.empty()) {
            notes.push_back({listener.pos, name + ": its owner " + quote(listener.owner) +
                                               " is not kept; superv's own user owns it"});
        }
    }
}

std::string http_text(const DaemonConfig& daemon, Notes& notes) {
    if (daemon.http.empty()) return {};
    note_http_differences(daemon, notes);
    std::vector<std::string> addresses;
    for (const HttpListener& listener : daemon.http)
        addresses.push_back(listen_address(listener));
    Section s("superv.http");
    s.add("listen", toml_strings(addresses));
    const HttpListener& first = daemon.http.front();
    if (!first.username.empty()) s.add("username", toml_string(first.username));
    if (!first.password.empty()) s.add("password", toml_string(first.password));
    return s.text();
}

// "# FILE:LINE: message" (an INI position has no column), one comment line
// per line of the message.
std::string comment(const ConfigError& note) {
    const SourcePos& pos = note.pos;
    const std::string where = pos.column == 0 && pos.line != 0
                                  ? pos.file + ":" + std::to_string(pos.line)
                                  : pos.to_string();
    std::string out = "# " + (where.empty() ? std::string() : where + ": ");
    for (char c : note.message)
        out += c == '\n' ? std::string("\n# ") : std::string(1, c);
    return out + "\n";
}

}  // namespace

std::string to_toml(const Config& source) {
    const Config config = simplify_for_writing(source);
    Notes notes;
    std::vector<std::string> sections;
    auto add = [&](std::string text) {
        if (!text.empty()) sections.push_back(std::move(text));
    };
    add(daemon_text(config.daemon));
    add(http_text(config.daemon, notes));
    for (const ProgramConfig& program : config.programs)
        add(program_text(program, notes));
    for (const GroupConfig& group : config.groups)
        add(group_text(group));

    std::string out;
    for (const ConfigError& warning : config.warnings)
        out += comment(warning);
    for (const ConfigError& note : notes)
        out += comment(note);
    for (const std::string& section : sections)
        out += (out.empty() ? "" : "\n") + section;
    return out;
}

}  // namespace superv::config

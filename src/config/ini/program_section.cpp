// [program:x] as supervisord 4.2.5's _processes_from_section reads it: the
// options that are the same for every process first (expanded without
// process_num), then for each process its environment, directory, log files,
// command and name (expanded with process_num, numprocs and the process's
// own ENV_X).
#include <climits>
#include <csignal>

#include "../accounts.hpp"
#include "program_logs.hpp"
#include "py_values.hpp"
#include "sections.hpp"
#include "superv/config/shell_words.hpp"

namespace superv::config::detail::ini {
namespace {

// As for [programs.x]: a typo such as numprocs = 10000000 is an error
// rather than ten million forks.
constexpr long long kMaxNumprocs = 10000;
constexpr long long kMaxSeconds = 1000000000;

constexpr std::string_view kProgramOptions[] = {
    "command",
    "process_name",
    "numprocs",
    "numprocs_start",
    "priority",
    "autostart",
    "autorestart",
    "startsecs",
    "startretries",
    "exitcodes",
    "stopsignal",
    "stopwaitsecs",
    "stopasgroup",
    "killasgroup",
    "user",
    "redirect_stderr",
    "stdout_logfile",
    "stdout_logfile_maxbytes",
    "stdout_logfile_backups",
    "stdout_capture_maxbytes",
    "stdout_events_enabled",
    "stdout_syslog",
    "stderr_logfile",
    "stderr_logfile_maxbytes",
    "stderr_logfile_backups",
    "stderr_capture_maxbytes",
    "stderr_events_enabled",
    "stderr_syslog",
    "environment",
    "directory",
    "umask",
    "serverurl",
};

// What superv cannot do with output: keep it for events, or send it there.
void warn_about_events(SectionReader& r, const Names& names, std::string_view stream) {
    const std::string capture = std::string(stream) + "_capture_maxbytes";
    if (const IniOption* option = r.option(capture)) {
        if (r.value_of(*option, names, 0ll, byte_size, "a size like 1024 or 10MB") != 0) {
            r.warn(*option, quote(capture) +
                                " is ignored: superv has no event listeners, so "
                                "there is no capture mode to feed them");
        }
    }
    const std::string events = std::string(stream) + "_events_enabled";
    if (const IniOption* option = r.option(events)) {
        if (r.value_of(*option, names, false, py_boolean, "true or false")) {
            r.warn(*option, quote(events) + " is ignored: superv does not emit PROCESS_LOG events");
        }
    }
}

std::optional<std::string> read_user(SectionReader& r, const Names& names) {
    const IniOption* option = r.option("user");
    if (!option) return std::nullopt;
    auto text = r.expanded(*option, names);
    if (!text) return std::nullopt;
    std::string problem;
    auto user = find_user(*text, problem);
    if (!user) {
        r.error(*option, problem);
        return std::nullopt;
    }
    const Identity& self = r.ctx().identity;
    if (self.uid != 0 && user->id != self.uid) {
        r.error(*option, "superv runs as uid " + std::to_string(self.uid) +
                             " and cannot switch to user " + quote(user->name) + " (uid " +
                             std::to_string(user->id) + "); run superv as root or remove \"user\"");
        return std::nullopt;
    }
    return user->name;
}

std::vector<std::string> split_command(SectionReader& r, const IniOption& option,
                                       const std::string& text) {
    std::optional<ShellWordsError> error;
    std::vector<std::string> argv = split_like_shlex(text, &error);
    if (error) {
        r.error(option, r.what(option) + ": " + error->message + " (at character " +
                            std::to_string(error->offset + 1) + " of " + quote(text) + ")");
    } else if (argv.empty()) {
        r.error(option, r.what(option) + " is empty");
    } else if (argv[0].empty()) {
        r.error(option, "the program path (first word of \"command\") is empty");
    } else if (text.find('\0') != std::string::npos) {
        r.error(option, r.what(option) + " must not contain a NUL character");
    }
    return argv;
}

// The options every process of the section shares.
struct Shared {
    ProgramConfig config;
    int numprocs = 1;
    long long numprocs_start = 0;
    const IniOption* process_name = nullptr;  // null: %(program_name)s
    const IniOption* environment = nullptr;
};

Shared read_shared(SectionReader& r, const Names& names) {
    Shared shared;
    ProgramConfig& p = shared.config;
    p.priority = static_cast<int>(r.integer("priority", names, 999, INT_MIN, INT_MAX));
    p.autostart = r.boolean("autostart", names, true);
    p.autorestart = r.value("autorestart", names, AutoRestart::OnFailure, auto_restart,
                            "true, false or unexpected");
    p.startsecs = Millis{r.integer("startsecs", names, 1, 0, kMaxSeconds) * 1000};
    p.startretries = static_cast<int>(r.integer("startretries", names, 3, 0, INT_MAX));
    p.stopsignal =
        r.value("stopsignal", names, SIGTERM, signal_number, "a signal name like TERM or a number");
    p.stopwaitsecs = Millis{r.integer("stopwaitsecs", names, 10, 0, kMaxSeconds) * 1000};
    p.stopasgroup = r.boolean("stopasgroup", names, false);
    p.killasgroup = r.boolean("killasgroup", names, p.stopasgroup);
    if (p.stopasgroup && !p.killasgroup) {
        r.error(*r.option("killasgroup"),
                "\"killasgroup\" = false contradicts \"stopasgroup\" = true (supervisord "
                "refuses it too: stopasgroup implies killasgroup)");
    }
    p.exitcodes = r.value("exitcodes", names, std::vector<int>{0}, exit_codes,
                          "a list of exit codes 0..255 like 0,2");
    p.redirect_stderr = r.boolean("redirect_stderr", names, false);
    shared.numprocs = static_cast<int>(r.integer("numprocs", names, 1, 1, kMaxNumprocs));
    shared.numprocs_start = r.integer("numprocs_start", names, 0, INT_MIN / 2, INT_MAX / 2);
    shared.environment = r.option("environment");
    warn_about_events(r, names, "stdout");
    warn_about_events(r, names, "stderr");
    if (auto url = r.text("serverurl", names)) {
        if (py_lower(py_strip(*url)) != "auto") p.serverurl = *url;
    }
    if (auto user = read_user(r, names)) p.user = *user;
    if (const IniOption* umask = r.option("umask")) {
        auto mode = r.value_of(*umask, names, std::optional<long long>{}, py_octal,
                               "an octal mode like 022");
        if (mode && (*mode < 0 || *mode > 0777)) {
            r.error(*umask, "\"umask\" must be between 0 and 0777");
        } else if (mode) {
            p.umask = static_cast<mode_t>(*mode);
        }
    }
    shared.process_name = r.option("process_name");
    if (shared.numprocs > 1) {
        std::string_view raw = shared.process_name
                                   ? std::string_view(shared.process_name->value.text)
                                   : std::string_view("%(program_name)s");
        if (raw.find("%(process_num)") == std::string_view::npos) {
            const SourcePos where =
                shared.process_name ? shared.process_name->value.pos() : r.section().pos;
            r.ctx().errors.error(
                where, "numprocs > 1 needs %(process_num) in \"process_name\" of " + r.title() +
                           ", so that each process gets a name of its own");
            shared.numprocs = 1;  // rather than one more error for each process named alike
        }
    }
    return shared;
}

// One process: the options expanded with its process_num.
ProgramConfig read_process(SectionReader& r, const Shared& shared, const Names& section_names,
                           long long process_num, SourcePos& name_pos) {
    ProgramConfig p = shared.config;
    const NameTable numbers{{"process_num", process_num}, {"numprocs", shared.numprocs}};
    Names names = section_names;
    names.add(numbers);

    NameTable own_environ;
    if (shared.environment) {
        if (auto text = r.expanded(*shared.environment, names)) {
            std::string why;
            if (auto pairs = key_value_pairs(*text, why)) {
                p.environment = std::move(*pairs);
            } else {
                r.error(*shared.environment, "\"environment\" of " + r.title() + ": " + why);
            }
        }
    }
    for (const auto& [key, value] : p.environment)
        own_environ.emplace("ENV_" + key, value);
    names.add(own_environ);

    if (const IniOption* directory = r.option("directory")) {
        if (auto text = r.expanded(*directory, names)) {
            p.directory = resolve_in(directory->value.here, *text);  // no "~": not in supervisord
        }
    }
    name_pos = shared.process_name ? shared.process_name->value.pos() : r.section().pos;
    if (shared.process_name) {
        IniValue raw = shared.process_name->value;
        raw.text = std::string(py_strip(raw.text));
        if (auto name = expand(raw, names, "\"process_name\" of " + r.title(), r.ctx().errors)) {
            p.name = *name;
        }
    } else {
        p.name = std::get<std::string>(*section_names.find("program_name"));
    }
    read_process_logs(r, names, p);
    if (const IniOption* command = r.option("command")) {
        if (auto text = r.expanded(*command, names)) p.command = split_command(r, *command, *text);
    } else {
        r.ctx().errors.error(r.section().pos, r.title() + " has no \"command\"");
    }
    return p;
}

}  // namespace

ProgramSection read_program(IniContext& ctx, const IniSection& section, const std::string& name,
                            const std::string& group_name) {
    SectionReader r(ctx, section);
    const NameTable section_table{
        {"program_name", name}, {"group_name", group_name}, {"host_node_name", ctx.node_name}};
    Names names = ctx.all_environ_names();
    names.add(section_table);

    ProgramSection result;
    result.section = &section;
    result.name = name;
    const Shared shared = read_shared(r, names);
    const std::size_t errors_before = ctx.errors.count();
    for (long long i = 0; i < shared.numprocs; ++i) {
        SourcePos name_pos;
        result.processes.push_back(
            read_process(r, shared, names, shared.numprocs_start + i, name_pos));
        result.processes.back().pos = section.pos;
        result.processes.back().stdin_pipe = true;  // supervisord gives every child one
        result.name_pos.push_back(name_pos);
        // One report is enough: the next process would fail the same way.
        if (ctx.errors.count() != errors_before) break;
    }
    r.warn_unknown(kProgramOptions);
    return result;
}

}  // namespace superv::config::detail::ini

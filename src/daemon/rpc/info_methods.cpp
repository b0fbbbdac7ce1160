// What supervisord tells about itself and its processes (rpcinterface.py:
// getAPIVersion ... getAllConfigInfo), field for field.
#include <unistd.h>

#include <chrono>
#include <climits>
#include <ctime>
#include <set>

#include "process_info.hpp"
#include "rpc.hpp"
#include "superv/config/processes.hpp"
#include "superv/daemon/daemon_loop.hpp"

namespace superv::daemon::rpc {

namespace {

// The API version supervisorctl checks before every command.
constexpr std::string_view kApiVersion = "3.0";

// supervisord's SupervisorStates.
Value daemon_state(const DaemonLoop& d) {
    if (d.shutting_down()) return Struct{{"statecode", -1}, {"statename", "SHUTDOWN"}};
    if (d.busy()) return Struct{{"statecode", 0}, {"statename", "RESTARTING"}};
    return Struct{{"statecode", 1}, {"statename", "RUNNING"}};
}

std::string quote_word(const std::string& word) {
    if (!word.empty() &&
        word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789@%+=:,./-_") == std::string::npos) {
        return word;
    }
    std::string out = "'";
    for (char c : word)
        out += c == '\'' ? std::string("'\"'\"'") : std::string(1, c);
    return out + "'";
}

// The command line as one string, quoted so that it splits back into the same words.
std::string command_line(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& word : argv)
        out += (out.empty() ? "" : " ") + quote_word(word);
    return out;
}

Value or_none(const std::string& s) {
    return s.empty() ? Value("none") : Value(s);
}

std::int64_t seconds(config::Millis ms) {
    return std::chrono::duration_cast<std::chrono::seconds>(ms).count();
}

// `active`: the groups in the process table.
Value config_info(const DaemonLoop& d, const config::ProcessSpec& spec,
                  const std::set<std::string>& active) {
    const config::ProgramConfig& p = *spec.program;
    const bool inuse = active.count(spec.group) != 0;
    int group_prio = p.priority;
    for (const config::GroupConfig& g : d.config().groups) {
        if (g.name == spec.group) group_prio = g.priority.value_or(999);
    }
    Array exitcodes;
    for (int code : p.exitcodes)
        exitcodes.emplace_back(code);
    Value uid("none");
    if (auto id = user_id(p)) uid = Value(*id);
    return Struct{
        {"autostart", p.autostart},
        {"directory", or_none(p.directory)},
        {"uid", uid},
        {"command", command_line(p.command)},
        {"exitcodes", std::move(exitcodes)},
        {"group", spec.group},
        {"group_prio", group_prio},
        {"inuse", inuse},
        {"killasgroup", p.killasgroup || p.stopasgroup},
        {"name", spec.name},
        {"process_prio", p.priority},
        {"redirect_stderr", p.redirect_stderr},
        {"startretries", p.startretries},
        {"startsecs", seconds(p.startsecs)},
        {"stdout_capture_maxbytes", 0},
        {"stdout_events_enabled", false},
        {"stdout_logfile", or_none(log_path(p, 0))},
        {"stdout_logfile_backups", p.stdout_log.backups},
        {"stdout_logfile_maxbytes", static_cast<std::int64_t>(p.stdout_log.max_bytes)},
        {"stdout_syslog", false},
        {"stopsignal", p.stopsignal},
        {"stopwaitsecs", seconds(p.stopwaitsecs)},
        {"stderr_capture_maxbytes", 0},
        {"stderr_events_enabled", false},
        {"stderr_logfile", or_none(log_path(p, 1))},
        {"stderr_logfile_backups", p.stderr_log.backups},
        {"stderr_logfile_maxbytes", static_cast<std::int64_t>(p.stderr_log.max_bytes)},
        {"stderr_syslog", false},
        {"serverurl", p.serverurl.empty() ? Value("auto") : Value(p.serverurl)},
    };
}

void query(std::vector<Method>& methods, std::string_view name, Type returns, std::string_view help,
           std::function<Value(DaemonLoop&)> answer) {
    methods.push_back(
        {name,
         returns,
         {},
         0,
         help,
         Access::Query,
         [answer](Context& c, const Array&, const Done& done) { done(answer(c.daemon)); }});
}

}  // namespace

void add_info_methods(std::vector<Method>& methods) {
    for (std::string_view name : {"supervisor.getAPIVersion", "supervisor.getVersion"}) {
        query(methods, name, Type::String, "The version of the RPC API (3.0, as supervisord's).",
              [](DaemonLoop&) { return Value(kApiVersion); });
    }
    query(methods, "supervisor.getSupervisorVersion", Type::String,
          "The version of the daemon: superv's own.",
          [](DaemonLoop&) { return Value(SUPERV_VERSION); });
    query(methods, "supervisor.getIdentification", Type::String,
          "The daemon's identifier ([supervisord] identifier, [superv] identifier).",
          [](DaemonLoop& d) { return Value(d.config().daemon.identifier); });
    query(methods, "supervisor.getState", Type::Struct,
          "The daemon's state: {statecode: 1, statename: RUNNING}, 0 RESTARTING during a reload, "
          "-1 SHUTDOWN.",
          daemon_state);
    query(methods, "supervisor.getPID", Type::Int, "The daemon's pid.",
          [](DaemonLoop&) { return Value(::getpid()); });
    query(methods, "supervisor.getAllProcessInfo", Type::Array,
          "getProcessInfo of every process, by group name then process name.", [](DaemonLoop& d) {
              Array all;
              const std::time_t now = std::time(nullptr);
              for (const core::Process* p : all_processes(d, true))
                  all.push_back(process_info(*p, now));
              return Value(std::move(all));
          });
    query(methods, "supervisor.getAllConfigInfo", Type::Array,
          "The configuration of every process of the config last read (groups flattened, "
          "sorted by name); inuse tells whether its group is running.",
          [](DaemonLoop& d) {
              std::vector<config::ProcessSpec> specs = config::expand_processes(d.config());
              std::stable_sort(specs.begin(), specs.end(),
                               [](const auto& a, const auto& b) { return a.name < b.name; });
              std::set<std::string> active;
              for (const core::Process* p : d.supervisor().processes())
                  active.insert(p->spec.group);
              Array all;
              for (const auto& spec : specs)
                  all.push_back(config_info(d, spec, active));
              return Value(std::move(all));
          });
    methods.push_back({"supervisor.getProcessInfo",
                       Type::Struct,
                       {{Type::String, "name"}},
                       1,
                       "Everything about process `name` (GROUP:NAME or NAME): name, group, "
                       "start, stop, now, state, statename, spawnerr, exitstatus, logfile, "
                       "stdout_logfile, stderr_logfile, pid, description.",
                       Access::Query,
                       [](Context& c, const Array& args, const Done& done) {
                           auto p = one_process(c.daemon, text(args[0]));
                           if (auto* f = std::get_if<Fault>(&p)) return done(*f);
                           done(process_info(*std::get<core::Process*>(p), std::time(nullptr)));
                       }});
}

}  // namespace superv::daemon::rpc

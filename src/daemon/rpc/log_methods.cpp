// Logs and stdin (rpcinterface.py: readLog ... sendProcessStdin), with
// supervisord's readFile / tailFile arithmetic (log/log_file_reader.hpp).
#include "process_info.hpp"
#include "rpc.hpp"
#include "superv/daemon/daemon_loop.hpp"
#include "superv/log/log_file_reader.hpp"
#include "superv/log/logging.hpp"

namespace superv::daemon::rpc {

namespace {

Outcome read_outcome(const log::LogRead& r, const std::string& path) {
    switch (r.fault) {
        case log::LogFault::None:
            return Value(r.bytes);
        case log::LogFault::NoFile:
            return fault(kNoFile, path.empty() ? "None" : path);
        case log::LogFault::BadArguments:
            return fault(kBadArguments);
        case log::LogFault::Failed:
            break;
    }
    return fault(kFailed);
}

// A process's log file for stream 0 / 1, or the fault of asking for it.
std::variant<std::string, Fault> process_log(Context& c, const Value& name, int stream) {
    auto p = one_process(c.daemon, text(name));
    if (auto* f = std::get_if<Fault>(&p)) return *f;
    const config::ProgramConfig& program = *std::get<core::Process*>(p)->spec.program;
    const config::LogTarget& lt =
        stream == 0 ? program.stdout_log.target : program.stderr_log.target;
    if (lt.kind != config::LogTarget::Kind::File || (stream == 1 && program.redirect_stderr)) {
        const std::string path = log_path(program, stream);
        return fault(kNoFile, path.empty() ? "None" : path);
    }
    return lt.path;
}

void read_method(std::vector<Method>& methods, std::string_view name, int stream) {
    methods.push_back(
        {name,
         Type::String,
         {{Type::String, "name"}, {Type::Int, "offset"}, {Type::Int, "length"}},
         3,
         "`length` bytes of the process's log from `offset` (length 0: to the end; a negative "
         "offset with length 0: the last -offset bytes).",
         Access::Query,
         [stream](Context& c, const Array& args, const Done& done) {
             auto path = process_log(c, args[0], stream);
             if (auto* f = std::get_if<Fault>(&path)) return done(*f);
             const std::string& p = std::get<std::string>(path);
             done(read_outcome(
                 log::read_log(p, args[1].get<std::int64_t>(), args[2].get<std::int64_t>()), p));
         }});
}

void tail_method(std::vector<Method>& methods, std::string_view name, int stream) {
    methods.push_back(
        {name,
         Type::Array,
         {{Type::String, "name"}, {Type::Int, "offset"}, {Type::Int, "length"}},
         3,
         "[bytes, offset, overflow]: at most `length` bytes of the end of the process's log past "
         "`offset`; offset is where to ask next, overflow tells that bytes were skipped.",
         Access::Query,
         [stream](Context& c, const Array& args, const Done& done) {
             auto path = process_log(c, args[0], stream);
             if (auto* f = std::get_if<Fault>(&path)) {
                 if (f->code != kNoFile) return done(*f);
                 return done(Value(Array{Value(""), Value(0), Value(false)}));
             }
             const auto t = log::tail_log(std::get<std::string>(path), args[1].get<std::int64_t>(),
                                          args[2].get<std::int64_t>());
             done(Value(Array{Value(t.bytes), Value(t.offset), Value(t.overflow)}));
         }});
}

// clearProcessLogs of one process: nullopt, or why it failed.
std::optional<Fault> clear_logs(core::Process& p) {
    for (std::size_t i : {log::ProcessOutput::kStdout, log::ProcessOutput::kStderr}) {
        log::OutputChannel* channel = p.output.stream(i);
        if (channel != nullptr && !channel->clear()) return fault(kFailed, namespec(p));
    }
    return std::nullopt;
}

}  // namespace

void add_log_methods(std::vector<Method>& methods) {
    for (std::string_view name : {"supervisor.readLog", "supervisor.readMainLog"}) {
        methods.push_back(
            {name,
             Type::String,
             {{Type::Int, "offset"}, {Type::Int, "length"}},
             2,
             "`length` bytes of superv's own log file from `offset`, as readProcessStdoutLog.",
             Access::Query,
             [](Context&, const Array& args, const Done& done) {
                 const std::string path = log::file_path();
                 if (path.empty()) return done(fault(kNoFile, "None"));
                 done(read_outcome(
                     log::read_log(path, args[0].get<std::int64_t>(), args[1].get<std::int64_t>()),
                     path));
             }});
    }
    methods.push_back({"supervisor.clearLog",
                       Type::Boolean,
                       {},
                       0,
                       "Empties superv's own log file.",
                       Access::Query,
                       [](Context&, const Array&, const Done& done) {
                           switch (log::clear()) {
                               case log::LogFault::None:
                                   return done(Value(true));
                               case log::LogFault::NoFile:
                                   return done(fault(kNoFile));
                               default:
                                   return done(fault(kFailed));
                           }
                       }});
    read_method(methods, "supervisor.readProcessStdoutLog", 0);
    read_method(methods, "supervisor.readProcessLog", 0);
    read_method(methods, "supervisor.readProcessStderrLog", 1);
    tail_method(methods, "supervisor.tailProcessStdoutLog", 0);
    tail_method(methods, "supervisor.tailProcessLog", 0);
    tail_method(methods, "supervisor.tailProcessStderrLog", 1);
    for (std::string_view name : {"supervisor.clearProcessLogs", "supervisor.clearProcessLog"}) {
        methods.push_back({name,
                           Type::Boolean,
                           {{Type::String, "name"}},
                           1,
                           "Empties the log files of process `name`.",
                           Access::Query,
                           [](Context& c, const Array& args, const Done& done) {
                               auto p = one_process(c.daemon, text(args[0]));
                               if (auto* f = std::get_if<Fault>(&p)) return done(*f);
                               if (auto f = clear_logs(*std::get<core::Process*>(p))) {
                                   return done(*f);
                               }
                               done(Value(true));
                           }});
    }
    methods.push_back({"supervisor.clearAllProcessLogs",
                       Type::Array,
                       {},
                       0,
                       "Empties the log files of every process; one result struct each.",
                       Access::Query,
                       [](Context& c, const Array&, const Done& done) {
                           Array results;
                           for (core::Process* p : all_processes(c.daemon, false)) {
                               if (auto f = clear_logs(*p)) {
                                   results.push_back(result_struct(*p, f->code, f->message));
                               } else {
                                   results.push_back(success_struct(*p));
                               }
                           }
                           done(Value(std::move(results)));
                       }});
    methods.push_back(
        {"supervisor.sendProcessStdin",
         Type::Boolean,
         {{Type::String, "name"}, {Type::String, "chars"}},
         2,
         "Writes `chars` to the stdin of process `name` (a program with a stdin pipe: every "
         "program of a supervisord.conf, `stdin = \"pipe\"` in TOML).",
         Access::Change,
         [](Context& c, const Array& args, const Done& done) {
             const std::string& n = text(args[0]);
             auto p = one_process(c.daemon, n);
             if (auto* f = std::get_if<Fault>(&p)) return done(*f);
             const auto error =
                 c.daemon.supervisor().send_stdin(std::get<core::Process*>(p)->id, text(args[1]));
             if (!error) return done(Value(true));
             switch (*error) {
                 case core::StdinError::NotRunning:
                     return done(fault(kNotRunning, n));
                 case core::StdinError::NoPipe:
                 case core::StdinError::Closed:
                     return done(fault(kNoFile, n));
                 case core::StdinError::Full:
                     break;
             }
             done(fault(kFailed, n + ": " + std::string(core::describe(*error))));
         }});
    methods.push_back(
        {"supervisor.sendRemoteCommEvent",
         Type::Boolean,
         {{Type::String, "type"}, {Type::String, "data"}},
         2,
         "Sends a REMOTE_COMMUNICATION event to the event listeners that subscribe to it "
         "(none: superv runs no event listener yet, so it goes nowhere).",
         Access::Query,
         [](Context&, const Array&, const Done& done) { done(Value(true)); }});
}

}  // namespace superv::daemon::rpc

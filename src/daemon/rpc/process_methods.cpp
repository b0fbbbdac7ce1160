// Starting, stopping and signalling processes, groups and everything
// (rpcinterface.py: startProcess ... signalAllProcesses), with supervisord's
// faults and `wait` semantics. Where supervisord starts or stops the members
// of a group one callback at a time, superv hands the whole set to the
// supervisor as one batch.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>

#include "rpc.hpp"
#include "superv/common/signal_names.hpp"
#include "superv/daemon/daemon_loop.hpp"

namespace superv::daemon::rpc {

namespace {

using core::State;

bool running_state(State s) {  // supervisord's RUNNING_STATES
    return s == State::Running || s == State::Backoff || s == State::Starting;
}
bool signallable_state(State s) {  // SIGNALLABLE_STATES
    return s == State::Running || s == State::Starting || s == State::Stopping;
}

// supervisord's get_execv_args + check_execv_args: a start that cannot work
// is refused before anything is spawned.
std::optional<Fault> check_command(const config::ProgramConfig& program) {
    if (program.command.empty()) return fault(kNotExecutable, "command is empty");
    const std::string& word = program.command.front();
    std::string filename = word;
    struct stat st {};
    bool found = false;
    if (word.find('/') != std::string::npos) {
        if (word.front() != '/' && !program.directory.empty()) {
            filename = program.directory + "/" + word;  // exec resolves it there
        }
        found = ::stat(filename.c_str(), &st) == 0;
    } else {
        auto env = program.environment.find("PATH");
        const char* path =
            env != program.environment.end() ? env->second.c_str() : std::getenv("PATH");
        std::string_view dirs = path ? path : "/usr/bin:/bin";
        while (!found && !dirs.empty()) {
            const auto colon = dirs.find(':');
            std::string dir(dirs.substr(0, colon));
            dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
            std::string candidate = (dir.empty() ? "." : dir) + "/" + word;
            if (::stat(candidate.c_str(), &st) == 0) {
                filename = candidate;
                found = true;
            }
        }
    }
    if (!found) return fault(kNoFile, "can't find command '" + filename + "'");
    if (S_ISDIR(st.st_mode)) {
        return fault(kNotExecutable, "command at '" + filename + "' is a directory");
    }
    if ((st.st_mode & 0111) == 0) {
        return fault(kNotExecutable, "command at '" + filename + "' is not executable");
    }
    return std::nullopt;
}

// Why a start that was waited for did not end RUNNING (startProcess's onwait).
Fault failed_start(const core::Process& p, const std::string& name) {
    return fault(p.spawn_error.empty() ? kAbnormalTermination : kSpawnError, name);
}

std::vector<core::ProcessId> ids_of(const std::vector<core::Process*>& processes) {
    std::vector<core::ProcessId> ids;
    for (const core::Process* p : processes)
        ids.push_back(p->id);
    return ids;
}

// `wait`: true unless given and false.
bool wait_arg(const Value* v) {
    if (v == nullptr) return true;
    return v->is<bool>() ? v->get<bool>() : v->get<std::int64_t>() != 0;
}

void start_one(DaemonLoop& d, core::Process& p, const std::string& name, bool wait,
               const Done& done) {
    if (auto f = check_command(*p.spec.program)) return done(*f);
    if (running_state(p.state())) return done(fault(kAlreadyStarted, name));
    if (p.state() == State::Unknown) {
        return done(fault(kFailed, name + " is in an unknown process state"));
    }
    const core::ProcessId id = p.id;
    auto answered = std::make_shared<bool>(false);
    d.supervisor().start({id}, [&d, id, name, wait, done, answered](const auto&) {
        if (!wait || *answered) return;
        *answered = true;
        const core::Process* q = d.supervisor().find(id);
        if (q != nullptr && q->state() == State::Running) return done(Value(true));
        done(q ? failed_start(*q, name) : fault(kAbnormalTermination, name));
    });
    if (wait || *answered) return;
    *answered = true;
    const core::Process* q = d.supervisor().find(id);
    if (q != nullptr && q->state() == State::Backoff && !q->spawn_error.empty()) {
        return done(fault(kSpawnError, name));
    }
    done(Value(true));
}

// startProcessGroup / startAllProcesses: every member not running, in one batch.
void start_many(DaemonLoop& d, const std::vector<core::Process*>& processes, bool wait,
                const Done& done) {
    auto results = std::make_shared<Array>();
    std::vector<core::ProcessId> batch;
    for (core::Process* p : processes) {
        if (running_state(p->state())) continue;
        std::optional<Fault> refused = check_command(*p->spec.program);
        if (!refused && p->state() == State::Unknown) {
            refused = fault(kFailed, namespec(*p) + " is in an unknown process state");
        }
        if (refused) {
            results->push_back(result_struct(*p, refused->code, refused->message));
        } else {
            batch.push_back(p->id);
        }
    }
    auto report = [&d, results, done](const std::vector<core::ProcessId>& ids, bool waited) {
        for (core::ProcessId id : ids) {
            const core::Process* p = d.supervisor().find(id);
            if (p == nullptr) continue;
            const bool failed = waited ? p->state() != State::Running
                                       : p->state() == State::Backoff && !p->spawn_error.empty();
            if (!failed) {
                results->push_back(success_struct(*p));
            } else {
                const Fault f =
                    waited ? failed_start(*p, namespec(*p)) : fault(kSpawnError, namespec(*p));
                results->push_back(result_struct(*p, f.code, f.message));
            }
        }
        done(Value(*results));
    };
    if (batch.empty()) return done(Value(*results));
    d.supervisor().start(batch, [batch, wait, report](const auto&) {
        if (wait) report(batch, true);
    });
    if (!wait) report(batch, false);
}

void stop_many(DaemonLoop& d, const std::vector<core::Process*>& processes, bool wait,
               const Done& done) {
    std::vector<core::Process*> running;
    for (core::Process* p : processes) {
        if (running_state(p->state())) running.push_back(p);
    }
    Array results;
    for (const core::Process* p : running)
        results.push_back(success_struct(*p));
    if (running.empty()) return done(Value(std::move(results)));
    d.supervisor().stop(ids_of(running), [wait, done, results](const auto&) {
        if (wait) done(Value(results));
    });
    if (!wait) done(Value(std::move(results)));
}

std::optional<int> signal_arg(const Value& v) {
    if (const auto* n = v.get_if<std::int64_t>()) {
        return parse_signal(std::to_string(*n));
    }
    std::string name = text(v);
    for (char& c : name)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    return parse_signal(name);
}

std::string signal_text(const Value& v) {
    if (const auto* n = v.get_if<std::int64_t>()) return std::to_string(*n);
    return text(v);
}

// signalProcess for one process: the fault, or nullopt when it was signalled.
std::optional<Fault> signal_one(DaemonLoop& d, core::Process& p, const std::string& name,
                                const Value& sig_arg) {
    const auto sig = signal_arg(sig_arg);
    if (!sig) return fault(kBadSignal, signal_text(sig_arg));
    if (!signallable_state(p.state())) return fault(kNotRunning, name);
    auto results = d.supervisor().signal({p.id}, *sig);
    if (!results.empty() && !results.front().ok) return fault(kFailed, results.front().detail);
    return std::nullopt;
}

Value signal_many(DaemonLoop& d, const std::vector<core::Process*>& processes,
                  const Value& sig_arg) {
    Array results;
    for (core::Process* p : processes) {
        if (!signallable_state(p->state())) continue;
        if (auto f = signal_one(d, *p, namespec(*p), sig_arg)) {
            results.push_back(result_struct(*p, f->code, f->message));
        } else {
            results.push_back(success_struct(*p));
        }
    }
    return results;
}

void stop_one(DaemonLoop& d, core::Process& p, const std::string& name, bool wait,
              const Done& done) {
    if (!running_state(p.state())) return done(fault(kNotRunning, name));
    d.supervisor().stop({p.id}, [wait, done](const auto&) {
        if (wait) done(Value(true));
    });
    if (!wait) done(Value(true));
}

// supervisord's three forms of an action: one process (or every process of
// GROUP:*), a group, everything. `extra` is the action's own parameter
// (`wait` or `signal`; null when left out).
struct Forms {
    std::string_view process, group, all;  // method names
    std::string_view help;                 // of the process form
    Param extra;
    bool extra_required;
    void (*many)(DaemonLoop&, const std::vector<core::Process*>&, const Value* extra, const Done&);
    void (*one)(DaemonLoop&, core::Process&, const std::string& name, const Value* extra,
                const Done&);
};

const Value* extra_arg(const Array& args, std::size_t index) {
    return index < args.size() ? &args[index] : nullptr;
}

void add_forms(std::vector<Method>& methods, const Forms& f) {
    const Param name{Type::String, "name"};
    const std::size_t required = f.extra_required ? 2 : 1;
    // Boolean as supervisord's signature says, though GROUP:* answers its array.
    methods.push_back({f.process,
                       Type::Boolean,
                       {name, f.extra},
                       required,
                       f.help,
                       Access::Change,
                       [f](Context& c, const Array& args, const Done& done) {
                           const std::string& n = text(args[0]);
                           auto target = resolve(c.daemon, n);
                           if (auto* fault = std::get_if<Fault>(&target)) return done(*fault);
                           Target& t = std::get<Target>(target);
                           if (t.whole_group) {
                               return f.many(c.daemon, t.processes, extra_arg(args, 1), done);
                           }
                           f.one(c.daemon, *t.processes.front(), n, extra_arg(args, 1), done);
                       }});
    methods.push_back({f.group,
                       Type::Array,
                       {name, f.extra},
                       required,
                       "The same for every process of group `name`: one result struct {name, "
                       "group, status, description} per process it applies to.",
                       Access::Change,
                       [f](Context& c, const Array& args, const Done& done) {
                           const std::string& n = text(args[0]);
                           auto target = resolve(c.daemon, n + ":*");
                           if (std::holds_alternative<Fault>(target)) {
                               return done(fault(kBadName, n));
                           }
                           f.many(c.daemon, std::get<Target>(target).processes, extra_arg(args, 1),
                                  done);
                       }});
    methods.push_back({f.all,
                       Type::Array,
                       {f.extra},
                       required - 1,
                       "The same for every process, all at once: one result struct per process "
                       "it applies to.",
                       Access::Change,
                       [f](Context& c, const Array& args, const Done& done) {
                           f.many(c.daemon, all_processes(c.daemon, false), extra_arg(args, 0),
                                  done);
                       }});
}

}  // namespace

void add_process_methods(std::vector<Method>& methods) {
    const Param wait{Type::Boolean, "wait"};
    add_forms(
        methods,
        {"supervisor.startProcess", "supervisor.startProcessGroup", "supervisor.startAllProcesses",
         "Starts process `name` (or every process of GROUP:* that is not running, all at "
         "once); with wait (the default), answers once it is RUNNING.",
         wait, false,
         [](DaemonLoop& d, const std::vector<core::Process*>& ps, const Value* w,
            const Done& done) { start_many(d, ps, wait_arg(w), done); },
         [](DaemonLoop& d, core::Process& p, const std::string& n, const Value* w,
            const Done& done) { start_one(d, p, n, wait_arg(w), done); }});
    add_forms(
        methods,
        {"supervisor.stopProcess", "supervisor.stopProcessGroup", "supervisor.stopAllProcesses",
         "Stops process `name` (or every running process of GROUP:*, all at once); with "
         "wait (the default), answers once it has stopped.",
         wait, false,
         [](DaemonLoop& d, const std::vector<core::Process*>& ps, const Value* w,
            const Done& done) { stop_many(d, ps, wait_arg(w), done); },
         [](DaemonLoop& d, core::Process& p, const std::string& n, const Value* w,
            const Done& done) { stop_one(d, p, n, wait_arg(w), done); }});
    add_forms(methods,
              {"supervisor.signalProcess",
               "supervisor.signalProcessGroup",
               "supervisor.signalAllProcesses",
               "Sends `signal` (a name such as HUP, or a number) to process `name` (or to every "
               "process of GROUP:* that can take it).",
               {Type::String, "signal", true},
               true,
               [](DaemonLoop& d, const std::vector<core::Process*>& ps, const Value* sig,
                  const Done& done) { done(signal_many(d, ps, *sig)); },
               [](DaemonLoop& d, core::Process& p, const std::string& n, const Value* sig,
                  const Done& done) {
                   if (auto f = signal_one(d, p, n, *sig)) return done(*f);
                   done(Value(true));
               }});
}

}  // namespace superv::daemon::rpc

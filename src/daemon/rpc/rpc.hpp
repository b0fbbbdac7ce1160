// supervisord's XML-RPC interface (supervisor/rpcinterface.py, xmlrpc.py of
// supervisor 4.2.5): what its methods share. Private to src/daemon.
//
// A method gets its checked parameters and answers through `Done`, at once
// or later (a start that waits for RUNNING); the answer is a value or one of
// supervisord's faults, whose codes and texts ("BAD_NAME: web") clients such
// as supervisorctl decode.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "superv/core/process.hpp"
#include "superv/xmlrpc/codec.hpp"
#include "superv/xmlrpc/value.hpp"

namespace superv::daemon {
class DaemonLoop;
}

namespace superv::daemon::rpc {

using xmlrpc::Array;
using xmlrpc::Fault;
using xmlrpc::Struct;
using xmlrpc::Value;

// supervisor.xmlrpc.Faults
enum FaultCode : int {
    kUnknownMethod = 1,
    kIncorrectParameters = 2,
    kBadArguments = 3,
    kSignatureUnsupported = 4,
    kShutdownState = 6,
    kBadName = 10,
    kBadSignal = 11,
    kNoFile = 20,
    kNotExecutable = 21,
    kFailed = 30,
    kAbnormalTermination = 40,
    kSpawnError = 50,
    kAlreadyStarted = 60,
    kNotRunning = 70,
    kSuccess = 80,
    kAlreadyAdded = 90,
    kStillRunning = 91,
    kCantReread = 92,
};

// "BAD_NAME", "UNKNOWN" for a code supervisord does not have.
std::string_view fault_name(int code);
// supervisord's RPCError(code, extra): faultString "NAME" or "NAME: extra".
Fault fault(int code, std::string_view extra = {});

using Outcome = std::variant<Value, Fault>;
using Done = std::function<void(Outcome)>;

// Parameter and return types as supervisord's docstrings name them (what
// system.methodSignature reports).
enum class Type { Boolean, Int, String, Array, Struct };
std::string_view type_name(Type type);

struct Param {
    Type type;
    std::string_view name;
    bool int_too = false;  // a String that may also be sent as an int (a signal number)
};

// When a method may run (supervisord refuses every supervisor.* call with
// SHUTDOWN_STATE once it is shutting down or restarting; superv keeps
// answering questions during a reload, only changes wait).
enum class Access {
    Always,  // system.*
    Query,   // refused during shutdown
    Change,  // refused during a reload or shutdown
};

struct Context {
    DaemonLoop& daemon;
};

struct Method {
    std::string_view name;  // "supervisor.startProcess"
    Type returns;
    std::vector<Param> params;
    std::size_t required;   // params[required..] may be left out
    std::string_view help;  // one paragraph; the @param/@return lines are added
    Access access;
    // Called with params.size() arguments at most and `required` at least,
    // each of its declared type.
    std::function<void(Context&, const Array& args, const Done& done)> call;
};

// The tables, one per file.
void add_info_methods(std::vector<Method>& methods);     // info_methods.cpp
void add_process_methods(std::vector<Method>& methods);  // process_methods.cpp
void add_daemon_methods(std::vector<Method>& methods);   // daemon_methods.cpp
void add_log_methods(std::vector<Method>& methods);      // log_methods.cpp

// supervisord's names: "group:name", "group:*" or "group:" (every process of
// the group), or "name" (the process of that name in the group of that name).
struct Target {
    std::vector<core::Process*> processes;  // the group's in priority order, or the one
    bool whole_group = false;
    std::string group;
};
// Fault BAD_NAME when the group, or the process in it, does not exist.
std::variant<Target, Fault> resolve(DaemonLoop& daemon, std::string_view name);
// One process: BAD_NAME for an unknown name, and for GROUP:* where one is needed.
std::variant<core::Process*, Fault> one_process(DaemonLoop& daemon, std::string_view name);
// Every process, groups by priority then each group's processes by priority
// (supervisord's _getAllProcesses), or by name (lexical).
std::vector<core::Process*> all_processes(DaemonLoop& daemon, bool lexical);

// "group:name" as supervisord's make_namespec writes it ("name" alone when equal).
std::string namespec(const core::Process& p);

// A String parameter's text. supervisord decodes <base64> to a string, so
// every string parameter may come as either.
const std::string& text(const Value& v);

// The {name, group, status, description} struct of group and "all" results.
Value result_struct(const core::Process& p, int status, std::string_view description);
Value success_struct(const core::Process& p);

}  // namespace superv::daemon::rpc

namespace superv::daemon::rpc {

// The method table and system.* (listMethods, methodHelp, methodSignature,
// multicall): checks names, counts and types as supervisord's traverse()
// does (UNKNOWN_METHOD, INCORRECT_PARAMETERS), then calls.
class Dispatcher {
  public:
    explicit Dispatcher(DaemonLoop& daemon);
    Dispatcher(const Dispatcher&) = delete;  // its system.* methods refer to it
    Dispatcher& operator=(const Dispatcher&) = delete;

    void call(const xmlrpc::MethodCall& call, const Done& done);

  private:
    const Method* find(std::string_view name) const;
    void multicall(const Array& calls, const Done& done);
    std::string help(const Method& m) const;

    Context context_;
    std::vector<Method> methods_;  // sorted by name
};

}  // namespace superv::daemon::rpc

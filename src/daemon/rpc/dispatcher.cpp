// Method lookup, parameter checks and system.* (supervisor/xmlrpc.py:
// traverse(), SystemNamespaceRPCInterface).
#include <algorithm>
#include <memory>

#include "rpc.hpp"
#include "superv/daemon/daemon_loop.hpp"

namespace superv::daemon::rpc {

namespace {

constexpr std::pair<int, std::string_view> kFaultNames[] = {
    {kUnknownMethod, "UNKNOWN_METHOD"},
    {kIncorrectParameters, "INCORRECT_PARAMETERS"},
    {kBadArguments, "BAD_ARGUMENTS"},
    {kSignatureUnsupported, "SIGNATURE_UNSUPPORTED"},
    {kShutdownState, "SHUTDOWN_STATE"},
    {kBadName, "BAD_NAME"},
    {kBadSignal, "BAD_SIGNAL"},
    {kNoFile, "NO_FILE"},
    {kNotExecutable, "NOT_EXECUTABLE"},
    {kFailed, "FAILED"},
    {kAbnormalTermination, "ABNORMAL_TERMINATION"},
    {kSpawnError, "SPAWN_ERROR"},
    {kAlreadyStarted, "ALREADY_STARTED"},
    {kNotRunning, "NOT_RUNNING"},
    {kSuccess, "SUCCESS"},
    {kAlreadyAdded, "ALREADY_ADDED"},
    {kStillRunning, "STILL_RUNNING"},
    {kCantReread, "CANT_REREAD"},
};

bool has_type(const Value& v, const Param& p) {
    switch (p.type) {
        case Type::Boolean:  // Python takes any truth value; clients send 0/1 too
            return v.is<bool>() || v.is<std::int64_t>();
        case Type::Int:
            return v.is<std::int64_t>();
        case Type::String:
            return v.is<std::string>() || v.is<xmlrpc::Base64>() ||
                   (p.int_too && v.is<std::int64_t>());
        case Type::Array:
            return v.is<Array>();
        case Type::Struct:
            return v.is<Struct>();
    }
    return false;
}

Value fault_struct(const Fault& f) {
    return Struct{{"faultCode", f.code}, {"faultString", f.message}};
}

}  // namespace

std::string_view fault_name(int code) {
    for (const auto& [c, name] : kFaultNames) {
        if (c == code) return name;
    }
    return "UNKNOWN";
}

Fault fault(int code, std::string_view extra) {
    std::string text(fault_name(code));
    if (!extra.empty()) text += ": " + std::string(extra);
    return Fault{code, std::move(text)};
}

const std::string& text(const Value& v) {
    if (const auto* b = v.get_if<xmlrpc::Base64>()) return b->bytes;
    return v.get<std::string>();
}

std::string_view type_name(Type type) {
    switch (type) {
        case Type::Boolean:
            return "boolean";
        case Type::Int:
            return "int";
        case Type::String:
            return "string";
        case Type::Array:
            return "array";
        case Type::Struct:
            return "struct";
    }
    return "";
}

Dispatcher::Dispatcher(DaemonLoop& daemon) : context_{daemon} {
    add_info_methods(methods_);
    add_process_methods(methods_);
    add_daemon_methods(methods_);
    add_log_methods(methods_);
    methods_.push_back({"system.listMethods",
                        Type::Array,
                        {},
                        0,
                        "The names of every method this server has.",
                        Access::Always,
                        [this](Context&, const Array&, const Done& done) {
                            Array names;
                            for (const Method& m : methods_)
                                names.emplace_back(m.name);
                            done(Value(std::move(names)));
                        }});
    methods_.push_back({"system.methodHelp",
                        Type::String,
                        {{Type::String, "name"}},
                        1,
                        "The documentation of method `name`.",
                        Access::Always,
                        [this](Context&, const Array& args, const Done& done) {
                            const Method* m = find(text(args[0]));
                            if (m == nullptr) return done(fault(kSignatureUnsupported));
                            done(Value(help(*m)));
                        }});
    methods_.push_back({"system.methodSignature",
                        Type::Array,
                        {{Type::String, "name"}},
                        1,
                        "The signature of method `name`: [return type, parameter types...].",
                        Access::Always,
                        [this](Context&, const Array& args, const Done& done) {
                            const Method* m = find(text(args[0]));
                            if (m == nullptr) return done(fault(kSignatureUnsupported));
                            Array signature{Value(type_name(m->returns))};
                            for (const Param& p : m->params)
                                signature.emplace_back(type_name(p.type));
                            done(Value(std::move(signature)));
                        }});
    methods_.push_back({"system.multicall",
                        Type::Array,
                        {{Type::Array, "calls"}},
                        1,
                        "Runs an array of calls, each a struct {methodName: string, params: "
                        "array}, in order, and returns their results: a one-element array per "
                        "success, a {faultCode, faultString} struct per fault.",
                        Access::Always,
                        [this](Context&, const Array& args, const Done& done) {
                            multicall(args[0].get<Array>(), done);
                        }});
    std::sort(methods_.begin(), methods_.end(),
              [](const Method& a, const Method& b) { return a.name < b.name; });
}

const Method* Dispatcher::find(std::string_view name) const {
    auto it = std::lower_bound(methods_.begin(), methods_.end(), name,
                               [](const Method& m, std::string_view n) { return m.name < n; });
    return it != methods_.end() && it->name == name ? &*it : nullptr;
}

// The docstring layout supervisord's gettags() reads, so that tools parsing
// methodHelp find the same @param / @return lines.
std::string Dispatcher::help(const Method& m) const {
    std::string text = " " + std::string(m.help) + "\n\n";
    for (const Param& p : m.params)
        text +=
            "        @param " + std::string(type_name(p.type)) + " " + std::string(p.name) + "\n";
    text += "        @return " + std::string(type_name(m.returns)) + " result\n        ";
    return text;
}

void Dispatcher::call(const xmlrpc::MethodCall& call, const Done& done) {
    // supervisord (CVE-2017-11610): exactly "namespace.method", nothing
    // private; anything else is an unknown method.
    const Method* m = find(call.method);
    if (m == nullptr) return done(fault(kUnknownMethod));
    if (call.params.size() < m->required || call.params.size() > m->params.size()) {
        return done(fault(kIncorrectParameters));
    }
    for (std::size_t i = 0; i < call.params.size(); ++i) {
        if (!has_type(call.params[i], m->params[i])) return done(fault(kIncorrectParameters));
    }
    const DaemonLoop& d = context_.daemon;
    if ((m->access == Access::Query && d.shutting_down()) ||
        (m->access == Access::Change && (d.shutting_down() || d.busy()))) {
        return done(fault(kShutdownState));
    }
    m->call(context_, call.params, done);
}

namespace {
struct MulticallState {
    Array calls;
    std::size_t next = 0;
    Array results;
    Done done;
    bool in_call = false;   // inside Dispatcher::call for calls[next - 1]
    bool answered = false;  // that call has answered
};
}  // namespace

// One call after the other, as supervisord's multi(): a call that waits (a
// start) holds back the ones after it.
void Dispatcher::multicall(const Array& calls, const Done& done) {
    auto state = std::make_shared<MulticallState>();
    state->calls = calls;
    state->done = done;
    // Not a member so that the state (not `this`) carries the recursion.
    struct Runner {
        static void run(Dispatcher* self, const std::shared_ptr<MulticallState>& st) {
            while (st->next < st->calls.size()) {
                const Value& entry = st->calls[st->next++];
                const Value* name = entry.member("methodName");
                const Value* params = entry.member("params");
                if (name == nullptr || !name->is<std::string>() ||
                    name->get<std::string>().empty()) {
                    st->results.push_back(
                        fault_struct(fault(kIncorrectParameters, "No methodName")));
                    continue;
                }
                if (name->get<std::string>() == "system.multicall") {
                    st->results.push_back(fault_struct(
                        fault(kIncorrectParameters, "Recursive system.multicall forbidden")));
                    continue;
                }
                if (params != nullptr && !params->is<Array>()) {
                    st->results.push_back(fault_struct(fault(kIncorrectParameters)));
                    continue;
                }
                xmlrpc::MethodCall call{name->get<std::string>(),
                                        params ? params->get<Array>() : Array{}};
                st->in_call = true;
                st->answered = false;
                self->call(call, [self, st](Outcome outcome) {
                    if (auto* f = std::get_if<Fault>(&outcome)) {
                        st->results.push_back(fault_struct(*f));
                    } else {
                        st->results.push_back(Array{std::get<Value>(std::move(outcome))});
                    }
                    st->answered = true;
                    if (!st->in_call) run(self, st);  // it waited: carry on from here
                });
                st->in_call = false;
                if (!st->answered) return;  // the callback resumes
            }
            st->done(Value(std::move(st->results)));
        }
    };
    Runner::run(this, state);
}

}  // namespace superv::daemon::rpc

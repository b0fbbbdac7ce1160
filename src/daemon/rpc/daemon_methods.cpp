// The daemon as a whole (rpcinterface.py: shutdown, restart, reloadConfig,
// addProcessGroup, removeProcessGroup).
#include "rpc.hpp"
#include "superv/daemon/daemon_loop.hpp"

namespace superv::daemon::rpc {

namespace {

Value names(const std::vector<std::string>& list) {
    Array out;
    for (const auto& n : list)
        out.emplace_back(n);
    return out;
}

std::string joined(const std::vector<std::string>& errors) {
    std::string out;
    for (const auto& e : errors)
        out += (out.empty() ? "" : "; ") + e;
    return out;
}

}  // namespace

void add_daemon_methods(std::vector<Method>& methods) {
    const Param name{Type::String, "name"};
    methods.push_back({"supervisor.shutdown",
                       Type::Boolean,
                       {},
                       0,
                       "Stops every process and ends the daemon (answered first).",
                       Access::Query,
                       [](Context& c, const Array&, const Done& done) {
                           done(Value(true));
                           c.daemon.shutdown("requested over XML-RPC");
                       }});
    methods.push_back(
        {"supervisor.restart",
         Type::Boolean,
         {},
         0,
         "Restarts everything: every process stops, the config is read again and the autostart "
         "processes start (superv's reload; the daemon keeps its pid). Answered first.",
         Access::Change,
         [](Context& c, const Array&, const Done& done) {
             done(Value(true));
             c.daemon.reload([](const std::vector<std::string>&) {});
         }});
    methods.push_back(
        {"supervisor.reloadConfig",
         Type::Array,
         {},
         0,
         "Reads the config again without changing any process: [[added, changed, removed]], "
         "the names of the groups that addProcessGroup / removeProcessGroup would change.",
         Access::Change,
         [](Context& c, const Array&, const Done& done) {
             auto result = c.daemon.reread_groups();
             if (auto* errors = std::get_if<std::vector<std::string>>(&result)) {
                 return done(fault(kCantReread, joined(*errors)));
             }
             const auto& g = std::get<DaemonLoop::GroupChanges>(result);
             done(Value(Array{Array{names(g.added), names(g.changed), names(g.removed)}}));
         }});
    methods.push_back({"supervisor.addProcessGroup",
                       Type::Boolean,
                       {name},
                       1,
                       "Adds group `name` from the config last read; its autostart processes "
                       "start.",
                       Access::Change,
                       [](Context& c, const Array& args, const Done& done) {
                           const std::string& n = text(args[0]);
                           switch (c.daemon.add_group(n)) {
                               case DaemonLoop::GroupResult::Done:
                                   return done(Value(true));
                               case DaemonLoop::GroupResult::AlreadyAdded:
                                   return done(fault(kAlreadyAdded, n));
                               default:
                                   return done(fault(kBadName, n));
                           }
                       }});
    methods.push_back({"supervisor.removeProcessGroup",
                       Type::Boolean,
                       {name},
                       1,
                       "Removes group `name`, whose processes must all be stopped.",
                       Access::Change,
                       [](Context& c, const Array& args, const Done& done) {
                           const std::string& n = text(args[0]);
                           switch (c.daemon.remove_group(n)) {
                               case DaemonLoop::GroupResult::Done:
                                   return done(Value(true));
                               case DaemonLoop::GroupResult::StillRunning:
                                   return done(fault(kStillRunning, n));
                               default:
                                   return done(fault(kBadName, n));
                           }
                       }});
}

}  // namespace superv::daemon::rpc

#include "superv/daemon/control_commands.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "superv/common/signal_names.hpp"
#include "superv/control/selectors.hpp"
#include "superv/control/status.hpp"
#include "superv/daemon/daemon_loop.hpp"

namespace superv::daemon {

using control::error_reply;
using control::Json;
using control::Request;
using control::Responder;
using core::ProcessId;

namespace {

// Resolves the request's selectors; replies with a usage error and returns
// nullopt when one matches nothing (or none is given where one is needed).
std::optional<std::vector<ProcessId>> selection(DaemonLoop& d, const Request& r,
                                                const Responder& out, bool empty_means_all) {
    const auto processes = d.supervisor().processes();
    if (r.names.empty()) {
        if (!empty_means_all) {
            out.reply(error_reply("usage", r.cmd + " needs a process name, GROUP:*, or all"));
            return std::nullopt;
        }
        return d.supervisor().all();
    }
    std::vector<control::Named> table;
    for (const core::Process* p : processes)
        table.push_back({p->spec.name, p->spec.group});
    auto sel = control::select_processes(table, r.names);
    if (!sel.unknown.empty()) {
        out.reply(error_reply("usage", "no such process: " + sel.unknown.front()));
        return std::nullopt;
    }
    std::vector<ProcessId> ids;
    for (std::size_t i : sel.indices)
        ids.push_back(processes[i]->id);
    return ids;
}

Json results_json(const std::vector<core::MemberResult>& results) {
    Json list = Json::array();
    bool ok = true;
    for (const auto& r : results) {
        ok = ok && r.ok;
        list.push_back({{"name", r.name},
                        {"state", core::state_name(r.state)},
                        {"ok", r.ok},
                        {"detail", r.detail}});
    }
    return Json{{"ok", ok}, {"results", list}};
}

core::OperationDone reply_with_results(const Responder& out) {
    return
        [out](const std::vector<core::MemberResult>& results) { out.reply(results_json(results)); };
}

Json config_errors(const std::vector<std::string>& errors) {
    Json j = error_reply("config", errors.empty() ? "" : errors.front());
    j["errors"] = errors;
    return j;
}

void status(DaemonLoop& d, const Request& r, const Responder& out) {
    auto ids = selection(d, r, out, true);
    if (!ids) return;
    Json list = Json::array();
    const auto now = std::chrono::steady_clock::now();
    for (ProcessId id : *ids) {
        if (const core::Process* p = d.supervisor().find(id)) {
            list.push_back(control::status_json(*p, now));
        }
    }
    out.reply(Json{{"ok", true}, {"processes", list}});
}

void signal(DaemonLoop& d, const Request& r, const Responder& out) {
    const auto sig = parse_signal(r.signal);
    if (!sig) return out.reply(error_reply("usage", "unknown signal \"" + r.signal + "\""));
    auto ids = selection(d, r, out, false);
    if (!ids) return;
    out.reply(results_json(d.supervisor().signal(*ids, *sig)));
}

void pid(DaemonLoop& d, const Request& r, const Responder& out) {
    if (r.names.empty()) return out.reply(Json{{"ok", true}, {"pid", ::getpid()}});
    auto ids = selection(d, r, out, false);
    if (!ids) return;
    Json pids = Json::array();
    for (ProcessId id : *ids)
        pids.push_back(d.supervisor().find(id)->pid());
    out.reply(Json{{"ok", true}, {"pids", pids}});
}

// The end of a process's captured output; with follow, everything after it.
void tail(DaemonLoop& d, const Request& r, const Responder& out) {
    if (r.names.size() != 1) return out.reply(error_reply("usage", "tail needs one process name"));
    auto ids = selection(d, r, out, false);
    if (!ids) return;
    if (ids->size() != 1)
        return out.reply(error_reply("usage", "tail needs one process, not a group"));
    core::Process& p = *d.supervisor().find(ids->front());
    const config::ProgramConfig& program = *p.spec.program;
    const bool err = r.stream == "stderr";
    if (err && program.redirect_stderr) {
        return out.reply(error_reply(
            "failed", p.display_name() + ": stderr is redirected to stdout; tail stdout"));
    }
    const config::LogTarget& target = err ? program.stderr_log.target : program.stdout_log.target;
    log::OutputChannel* channel =
        p.output.stream(err ? log::ProcessOutput::kStderr : log::ProcessOutput::kStdout);
    if (target.kind != config::LogTarget::Kind::File || channel == nullptr) {
        const char* kind = target.kind == config::LogTarget::Kind::None ? "none" : "inherit";
        return out.reply(error_reply("failed", p.display_name() + ": " + r.stream +
                                                   " is not captured to a file (" + r.stream +
                                                   "_logfile = " + kind + ")"));
    }
    auto data = channel->tail(r.bytes);
    if (!data) {
        return out.reply(error_reply("failed", channel->path() + ": " + data.error().message()));
    }
    if (!r.follow) return out.reply(Json{{"ok", true}, {"data", data.value()}});
    out.send(Json{{"ok", true}, {"data", data.value()}});
    // Until the client hangs up (the channel drops the follower then), or
    // the process leaves the table (an empty chunk: the stream ends).
    channel->follow([out](std::string_view chunk) {
        if (chunk.empty()) {
            out.finish();
            return false;
        }
        if (!out.connected()) return false;
        out.send(Json{{"data", chunk}});
        return true;
    });
}

}  // namespace

void handle_request(DaemonLoop& d, const Request& r, const Responder& out) {
    spdlog::debug("control: {}", control::to_json(r).dump());
    if (r.cmd == "status") return status(d, r, out);
    if (r.cmd == "pid") return pid(d, r, out);
    if (r.cmd == "signal") return signal(d, r, out);
    if (r.cmd == "version") {
        return out.reply(Json{{"ok", true},
                              {"version", SUPERV_VERSION},
                              {"pid", ::getpid()},
                              {"backend", d.backend().name()}});
    }
    if (r.cmd == "tail") return tail(d, r, out);
    if (r.cmd == "shutdown") {
        // The reply comes first; the client then waits for the connection to
        // close, which happens when the daemon exits.
        out.send(Json{{"ok", true}});
        d.shutdown("requested by a client");
        return;
    }
    if (d.busy()) return out.reply(error_reply("busy", "superv is busy with a reload or shutdown"));
    if (r.cmd == "start" || r.cmd == "stop" || r.cmd == "restart") {
        auto ids = selection(d, r, out, false);
        if (!ids) return;
        auto& sup = d.supervisor();
        if (r.cmd == "start") return sup.start(*ids, reply_with_results(out));
        if (r.cmd == "stop") return sup.stop(*ids, reply_with_results(out));
        return sup.replace(*ids, reply_with_results(out));
    }
    if (r.cmd == "reload") {
        return d.reload([out](const std::vector<std::string>& errors) {
            out.reply(errors.empty() ? Json{{"ok", true}} : config_errors(errors));
        });
    }
    if (r.cmd == "update") {
        return d.update([out](const auto& errors, const DaemonLoop::UpdateSummary& s) {
            if (!errors.empty()) return out.reply(config_errors(errors));
            out.reply(Json{{"ok", true},
                           {"added", s.added},
                           {"removed", s.removed},
                           {"changed", s.changed},
                           {"unchanged", s.unchanged}});
        });
    }
    out.reply(error_reply("usage", "unknown command \"" + r.cmd + "\""));
}

}  // namespace superv::daemon

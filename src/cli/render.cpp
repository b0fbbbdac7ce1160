#include "superv/cli/render.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "superv/cli/cli.hpp"

namespace superv::cli {

using control::Json;

namespace {

std::string display_name(const Json& p) {
    const std::string name = p.value("name", ""), group = p.value("group", "");
    return group == name ? name : group + ":" + name;
}

int render_status(const Json& reply, bool json) {
    const Json& list = reply["processes"];
    bool all_running = true;
    std::size_t width = 0;
    for (const auto& p : list) {
        all_running = all_running && p.value("state", "") == "RUNNING";
        width = std::max(width, display_name(p).size());
    }
    if (json) {
        std::printf("%s\n", list.dump(2).c_str());
    } else {
        for (const auto& p : list) {
            std::printf("%-*s %-9s %s\n", static_cast<int>(std::max<std::size_t>(width, 32)),
                        display_name(p).c_str(), p.value("state", "").c_str(),
                        p.value("description", "").c_str());
        }
    }
    return all_running ? kExitOk : kExitNotRunning;
}

int render_results(const std::string& cmd, const Json& reply) {
    const char* done = cmd == "start"     ? "started"
                       : cmd == "stop"    ? "stopped"
                       : cmd == "restart" ? "restarted"
                                          : "signalled";
    bool ok = true;
    for (const auto& r : reply["results"]) {
        const std::string name = r.value("name", "");
        if (r.value("ok", false)) {
            std::printf("%s: %s\n", name.c_str(), done);
        } else {
            ok = false;
            std::printf("%s: ERROR (%s)\n", name.c_str(), r.value("detail", "").c_str());
        }
    }
    return ok ? kExitOk : kExitFailed;
}

int render_update(const Json& reply) {
    bool any = false;
    auto list = [&](const char* key, const char* what) {
        for (const auto& name : reply.value(key, std::vector<std::string>{})) {
            std::printf("%s: %s\n", name.c_str(), what);
            any = true;
        }
    };
    list("removed", "stopped and removed");
    list("changed", "changed, restarted");
    list("added", "added");
    if (!any) std::printf("no changes\n");
    return kExitOk;
}

}  // namespace

int render(const control::Request& request, const Json& reply, bool json) {
    const std::string& cmd = request.cmd;
    if (cmd == "status") return render_status(reply, json);
    if (json) {
        std::printf("%s\n", reply.dump(2).c_str());
        return reply.value("ok", false) ? kExitOk : kExitFailed;
    }
    if (cmd == "start" || cmd == "stop" || cmd == "restart" || cmd == "signal") {
        return render_results(cmd, reply);
    }
    if (cmd == "update") return render_update(reply);
    if (cmd == "reload") std::printf("reloaded\n");
    if (cmd == "shutdown") std::printf("shut down\n");
    if (cmd == "pid") {
        if (reply.contains("pid")) std::printf("%d\n", reply["pid"].get<int>());
        for (const auto& pid : reply.value("pids", std::vector<int>{}))
            std::printf("%d\n", pid);
    }
    if (cmd == "version") {
        std::printf("daemon: superv %s (pid %d, backend %s)\n", reply.value("version", "").c_str(),
                    reply.value("pid", 0), reply.value("backend", "").c_str());
    }
    return kExitOk;
}

int render_tail(control::Client& client, const Json& first) {
    std::string error;
    for (std::optional<Json> line = first; line; line = client.next(&error)) {
        const std::string data = line->value("data", "");
        std::fwrite(data.data(), 1, data.size(), stdout);
        std::fflush(stdout);
    }
    return kExitOk;
}

}  // namespace superv::cli

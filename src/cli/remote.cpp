// Client commands: one request to the daemon, its reply printed.
#include <cstdio>
#include <string>

#include "superv/cli/cli.hpp"
#include "superv/cli/commands.hpp"
#include "superv/cli/render.hpp"
#include "superv/config/loader.hpp"
#include "superv/control/client.hpp"
#include "superv/control/socket_path.hpp"

namespace superv::cli {

using control::Json;

std::string client_socket_path(const RemoteOptions& options) {
    if (!options.socket.empty()) return options.socket;
    if (auto env = control::socket_from_environment(); !env.empty()) return env;
    // The daemon's own config says where it listens; a config that does not
    // load is no reason to fail here (the default is tried instead).
    auto loaded = config::load_file(config_path(options.config_path));
    if (loaded.ok() && !loaded.config().daemon.socket.empty()) {
        return loaded.config().daemon.socket;
    }
    return control::default_socket_path();
}

namespace {
int error_exit(const Json& reply) {
    const std::string kind = reply.value("kind", "failed");
    if (kind == "config") {
        for (const auto& e : reply.value("errors", std::vector<std::string>{})) {
            std::fprintf(stderr, "%s\n", e.c_str());
        }
        return kExitUsage;
    }
    std::fprintf(stderr, "superv: %s\n", reply.value("error", "unknown error").c_str());
    if (kind == "usage") return kExitUsage;
    if (kind == "refused") return kExitUnreachable;
    return kExitFailed;
}
}  // namespace

int remote(const RemoteOptions& options, const control::Request& request) {
    const std::string path = client_socket_path(options);
    std::string error;
    auto client = control::Client::connect(path, &error);
    if (!client) {
        std::fprintf(stderr, "superv: %s\n", error.c_str());
        return kExitUnreachable;
    }
    // A refused client may find the connection closed before its request
    // is out; the refusal is still there to read.
    const bool sent = client->send(request, &error);
    std::string read_error;
    auto reply = client->next(&read_error);
    if (!sent && !reply) {
        std::fprintf(stderr, "superv: %s\n", error.c_str());
        return kExitUnreachable;
    }
    error = read_error;
    if (!reply) {
        std::fprintf(
            stderr, "superv: %s\n",
            error.empty() ? "superv closed the connection without a reply" : error.c_str());
        return kExitUnreachable;
    }
    if (!reply->value("ok", false) && !reply->contains("results")) {
        if (options.json) std::printf("%s\n", reply->dump(2).c_str());
        return error_exit(*reply);
    }
    if (request.cmd == "tail") return render_tail(*client, *reply);
    if (request.cmd == "shutdown") client->wait_for_close();
    return render(request, *reply, options.json);
}

}  // namespace superv::cli

// config-dump FILE: loads FILE as superv does (StrictModes off) and prints
// what it became as JSON, so that a test can compare it with what
// supervisord's own parser makes of the same file. Exit 0 when it loaded,
// 2 with the errors on stderr when not.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "superv/config/loader.hpp"
#include "superv/config/processes.hpp"

namespace {

using nlohmann::json;
using superv::config::LogSpec;
using superv::config::LogTarget;

json log_json(const LogSpec& log) {
    json target = log.target.kind == LogTarget::Kind::File      ? json(log.target.path)
                  : log.target.kind == LogTarget::Kind::Inherit ? json("inherit")
                                                                : json(nullptr);
    return {{"target", target}, {"maxbytes", log.max_bytes}, {"backups", log.backups}};
}

const char* autorestart_name(superv::config::AutoRestart value) {
    switch (value) {
        case superv::config::AutoRestart::Always:
            return "always";
        case superv::config::AutoRestart::OnFailure:
            return "on-failure";
        case superv::config::AutoRestart::Never:
            break;
    }
    return "never";
}

json process_json(const superv::config::Config& config, const superv::config::ProcessSpec& spec) {
    const superv::config::ProgramConfig& p = *spec.program;
    json group_priority = nullptr;
    for (const auto& group : config.groups) {
        if (group.name == spec.group && group.priority) group_priority = *group.priority;
    }
    return {
        {"name", spec.name},
        {"group", spec.group},
        {"priority", p.priority},
        {"group_priority", group_priority},
        {"command", p.command},
        {"directory", p.directory},
        {"environment", p.environment},
        {"user", p.user},
        {"umask", p.umask ? json(*p.umask) : json(nullptr)},
        {"autostart", p.autostart},
        {"autorestart", autorestart_name(p.autorestart)},
        {"startsecs", p.startsecs.count() / 1000.0},
        {"startretries", p.startretries},
        {"stopsignal", p.stopsignal},
        {"stopwaitsecs", p.stopwaitsecs.count() / 1000.0},
        {"stopasgroup", p.stopasgroup},
        {"killasgroup", p.killasgroup},
        {"exitcodes", p.exitcodes},
        {"redirect_stderr", p.redirect_stderr},
        {"stdout", log_json(p.stdout_log)},
        {"stderr", log_json(p.stderr_log)},
        {"serverurl", p.serverurl},
        {"stdin_pipe", p.stdin_pipe},
    };
}

json daemon_json(const superv::config::DaemonConfig& d) {
    json http = json::array();
    for (const auto& l : d.http) {
        http.push_back({{"unix", l.kind == superv::config::HttpListener::Kind::Unix},
                        {"path", l.path},
                        {"mode", l.mode},
                        {"owner", l.owner},
                        {"group", l.group},
                        {"host", l.host},
                        {"port", l.port},
                        {"username", l.username},
                        {"password", l.password}});
    }
    return {
        {"identifier", d.identifier},
        {"log_level", d.log_level},
        {"logfile", log_json(d.logfile)},
        {"user", d.user},
        {"directory", d.directory},
        {"umask", d.umask ? json(*d.umask) : json(nullptr)},
        {"environment", d.environment},
        {"minfds", d.minfds},
        {"minprocs", d.minprocs},
        {"pidfile", d.pidfile},
        {"socket", d.socket},
        {"http", http},
    };
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: config-dump FILE\n");
        return 2;
    }
    auto loaded = superv::config::load_file(argv[1], superv::config::LoadOptions{false});
    if (!loaded.ok()) {
        for (const auto& error : loaded.errors())
            std::fprintf(stderr, "%s\n", error.to_string().c_str());
        return 2;
    }
    const superv::config::Config& config = loaded.config();
    json processes = json::array();
    for (const auto& spec : superv::config::expand_processes(config))
        processes.push_back(process_json(config, spec));
    json warnings = json::array();
    for (const auto& warning : config.warnings)
        warnings.push_back(warning.to_string());
    json out = {{"daemon", daemon_json(config.daemon)},
                {"processes", processes},
                {"warnings", warnings},
                {"included", config.included}};
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}

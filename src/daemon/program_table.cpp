#include "superv/daemon/program_table.hpp"

#include "superv/core/lifecycle.hpp"

namespace superv::daemon {

config::ProgramConfig main_program(const Options& options) {
    config::ProgramConfig p;
    p.name = "main";
    p.command = options.main_command;
    // tini and dumb-init forward SIGTERM and wait: the orchestrator's own
    // SIGKILL (docker stop -t, terminationGracePeriodSeconds) is the deadline.
    p.stopwaitsecs = options.stop_grace.value_or(core::kUnlimitedWait);
    p.stopasgroup = options.signal_group;
    p.killasgroup = options.signal_group;
    p.critical = true;
    p.autorestart = config::AutoRestart::Never;
    p.startsecs = config::Millis(0);  // as tini: it is running once exec'd
    p.startretries = 0;
    p.inherit_stdin = true;
    p.pos.file = "<command line>";
    return p;
}

config::LoadResult load_table(const Options& options) {
    const std::string& path = options.config_path;
    const std::vector<std::string>& main_command = options.main_command;
    config::Config cfg;
    if (!path.empty()) {
        auto loaded = config::load_file(path);
        if (!loaded.ok()) return loaded;
        cfg = std::move(loaded.config());
    }
    if (!main_command.empty()) {
        for (const auto& p : cfg.programs) {
            if (p.name == "main") {
                return config::LoadResult(std::vector<config::ConfigError>{
                    {p.pos, "a program named \"main\" clashes with the command given after --"}});
            }
        }
        cfg.programs.push_back(main_program(options));
    }
    return config::LoadResult(std::move(cfg));
}

}  // namespace superv::daemon

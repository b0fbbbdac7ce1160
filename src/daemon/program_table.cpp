#include "superv/daemon/program_table.hpp"

#include <algorithm>

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
    const bool with_main = !options.main_command.empty();
    const config::ProgramConfig main = with_main ? main_program(options) : config::ProgramConfig{};
    config::Config cfg;
    if (!path.empty()) {
        config::LoadOptions load_options = config::LoadOptions::defaults();
        if (with_main) load_options.main_program = &main;
        auto loaded = config::load_file(path, load_options);
        if (!loaded.ok()) return loaded;
        cfg = std::move(loaded.config());
    }
    if (!with_main) return config::LoadResult(std::move(cfg));
    // A superv.toml's [programs.main] configures main (the loader checked
    // it); supervisord.conf has no such table.
    const auto configured = std::find_if(cfg.programs.begin(), cfg.programs.end(),
                                         [](const auto& p) { return p.name == "main"; });
    if (configured == cfg.programs.end()) {
        cfg.programs.push_back(main);
    } else if (cfg.format != config::ConfigFormat::Toml) {
        return config::LoadResult(std::vector<config::ConfigError>{
            {configured->pos, "a program named \"main\" clashes with the command given after --"}});
    }
    return config::LoadResult(std::move(cfg));
}

}  // namespace superv::daemon

#include "superv/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "superv/cli/commands.hpp"
#include "superv/daemon/daemon.hpp"

namespace superv::cli {

namespace {
const std::map<std::string, loop::BackendKind> kBackends = {
    {"auto", loop::BackendKind::Auto},
    {"uring", loop::BackendKind::Uring},
    {"epoll", loop::BackendKind::Epoll},
};
}  // namespace

int run(int argc, char** argv) {
    CLI::App app{"superv: a process supervisor on pidfds and io_uring", "superv"};
    app.require_subcommand(1);
    std::string config_option;
    app.add_option(
        "-c,--config", config_option,
        "config file (default $SUPERV_CONFIG, else " + std::string(kDefaultConfig) + ")");

    daemon::Options dopts;
    auto* daemon_cmd = app.add_subcommand("daemon", "run the supervisor in the foreground");
    daemon_cmd->add_option("-c,--config", config_option, "config file");
    daemon_cmd->add_flag("--init", dopts.init_mode,
                         "init mode (implied as PID 1): reap orphans, exit with the critical "
                         "program's code");
    daemon_cmd->add_option("--backend", dopts.backend, "event loop: auto, uring or epoll")
        ->transform(CLI::CheckedTransformer(kBackends, CLI::ignore_case))
        ->envname("SUPERV_BACKEND");
    daemon_cmd->add_option("command", dopts.main_command,
                           "after --: a command to supervise as program \"main\"");

    auto* check_cmd = app.add_subcommand("check", "validate a config file");
    check_cmd->add_option("-c,--config", config_option, "config file");

    auto* version_cmd = app.add_subcommand("version", "print the version");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }

    if (*daemon_cmd) {
        // Without a command a config is required; with one it is optional
        // unless named explicitly.
        const char* env = std::getenv("SUPERV_CONFIG");
        const bool named = !config_option.empty() || (env != nullptr && *env != '\0');
        if (named || dopts.main_command.empty()) dopts.config_path = config_path(config_option);
        return daemon::run(dopts);
    }
    if (*check_cmd) return check(config_path(config_option));
    if (*version_cmd) return version();
    return kExitUsage;
}

}  // namespace superv::cli

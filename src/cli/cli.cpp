#include "superv/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "superv/cli/commands.hpp"
#include "superv/cli/compat_command_line.hpp"
#include "superv/cli/daemon_flags.hpp"
#include "superv/common/signal_names.hpp"
#include "superv/config/loader.hpp"
#include "superv/control/client.hpp"
#include "superv/daemon/daemon.hpp"

namespace superv::cli {

namespace {
const std::map<std::string, loop::BackendKind> kBackends = {
    {"auto", loop::BackendKind::Auto},
    {"uring", loop::BackendKind::Uring},
    {"uring-poll", loop::BackendKind::UringPoll},
    {"epoll", loop::BackendKind::Epoll},
};
// Invoked as `tini` or `dumb-init` (a symlink to superv): that tool's command
// line; nullopt under any other name.
std::optional<int> run_compat(int argc, char** argv) {
    std::string name = argc > 0 ? argv[0] : "";
    if (auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
    if (name != "tini" && name != "dumb-init") return std::nullopt;
    const std::vector<std::string> args(argv, argv + argc);
    const Getenv getenv = [](const char* var) -> const char* { return std::getenv(var); };
    CompatCommandLine parsed =
        name == "tini" ? parse_tini(args, getenv) : parse_dumb_init(args, getenv);
    std::fputs(parsed.out.c_str(), stdout);
    std::fputs(parsed.err.c_str(), stderr);
    if (!parsed.run) return parsed.exit_code;
    const char* backend = std::getenv("SUPERV_BACKEND");
    if (backend != nullptr) {
        if (auto it = kBackends.find(backend); it != kBackends.end())
            parsed.run->backend = it->second;
    }
    return daemon::run(*parsed.run);
}

// --remap-exit and --rewrite-signal: N=M pairs checked by `parse`.
template <typename Parse>
CLI::Validator pair_validator(Parse parse, const char* what) {
    return CLI::Validator(
        [parse, what](std::string& text) -> std::string {
            return parse(text) ? std::string() : std::string("not ") + what + ": " + text;
        },
        "N=M");
}
}  // namespace

int run(int argc, char** argv) {
    if (auto code = run_compat(argc, argv)) return *code;
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
    std::vector<std::string> remaps, rewrites;
    std::string pdeathsig;
    double stopwaitsecs = -1;
    int verbose = 0;
    daemon_cmd->add_option("--remap-exit", remaps, "-- CMD: exit code N of superv becomes M (N=M)")
        ->check(pair_validator(parse_exit_remap, "N=M with exit codes 0..255"))
        ->allow_extra_args(false);  // one value each: `--` must still end the options
    daemon_cmd
        ->add_option("--rewrite-signal", rewrites,
                     "-- CMD: signal S received is forwarded as R (S=R, R 0: dropped)")
        ->check(pair_validator(parse_signal_rewrite, "S=R with signals 1..31"))
        ->allow_extra_args(false);  // one value each: `--` must still end the options
    daemon_cmd->add_flag("--kill-group", dopts.signal_group,
                         "-- CMD: forward signals to the program's process group, and SIGTERM "
                         "what is left of it when the program exits");
    daemon_cmd->add_option("--pdeathsig", pdeathsig, "the signal superv gets when its parent dies")
        ->check([](const std::string& text) {
            return parse_signal(text) ? std::string() : "not a signal: " + text;
        });
    daemon_cmd
        ->add_option("--stopwaitsecs", stopwaitsecs,
                     "-- CMD: seconds the program has after a forwarded SIGTERM before "
                     "SIGKILL (default: unlimited)")
        ->check(CLI::Range(0.0, 1e9));
    daemon_cmd->add_flag("-v,--verbose", verbose, "log more (info; twice: debug)");

    auto* check_cmd = app.add_subcommand("check", "validate a config file");
    check_cmd->add_option("-c,--config", config_option, "config file");

    auto* import_cmd =
        app.add_subcommand("import", "print a config (supervisord.conf or TOML) as superv.toml");
    std::string import_path;
    import_cmd->add_option("file", import_path, "the config to convert")->required();

    // StrictModes (config files only root can change) apply as root; these
    // turn them off for this run, reloads included.
    bool no_strict_modes = false;
    for (CLI::App* cmd : {daemon_cmd, check_cmd, import_cmd}) {
        cmd->add_flag("--no-strict-modes", no_strict_modes,
                      "as root, also load config files that others could write "
                      "(same as SUPERV_NO_STRICT_MODES=1)");
    }

    auto* version_cmd =
        app.add_subcommand("version", "print the version (and the daemon's, if one runs)");

    RemoteOptions remote_opts;
    version_cmd->add_flag("--json", remote_opts.json, "print the daemon's version reply as JSON");
    app.add_option("-s,--socket", remote_opts.socket,
                   "control socket (default $SUPERV_SOCKET, else the config's socket)");
    control::Request request;
    auto names = [&](CLI::App* cmd, bool required, const char* what) {
        auto* opt = cmd->add_option("names", request.names, what);
        if (required) opt->required();
        cmd->add_flag("--json", remote_opts.json, "print the reply as JSON");
    };
    const std::string sel = "NAME, GROUP:*, GROUP:NAME or all";
    std::vector<CLI::App*> remote_cmds;
    auto add = [&](const char* name, const char* help) {
        remote_cmds.push_back(app.add_subcommand(name, help));
        return remote_cmds.back();
    };
    names(add("status", "show processes; exit 3 unless all are RUNNING"), false, sel.c_str());
    names(add("start", "start processes and wait until they run"), true, sel.c_str());
    names(add("stop", "stop processes and wait until they have stopped"), true, sel.c_str());
    names(add("restart", "stop, then start processes"), true, sel.c_str());
    auto* signal_cmd = add("signal", "send a signal to processes");
    signal_cmd->add_option("signal", request.signal, "TERM, SIGTERM or a number")->required();
    names(signal_cmd, true, sel.c_str());
    auto json_only = [&](CLI::App* cmd) {
        cmd->add_flag("--json", remote_opts.json, "print the reply as JSON");
    };
    json_only(add("reload", "re-read the config, stop everything, start from the new config"));
    json_only(add("update", "apply config changes: start added, stop removed, restart changed"));
    names(add("pid", "the daemon's pid, or the processes' pids"), false, sel.c_str());
    json_only(add("shutdown", "stop everything and make the daemon exit"));
    auto* tail_cmd = add("tail", "print the end of a process's captured output");
    tail_cmd->add_flag("-f,--follow", request.follow, "keep printing new output");
    tail_cmd->add_option("-n,--bytes", request.bytes, "how many bytes of the end (default 1600)");
    std::vector<std::string> tail_args;
    tail_cmd->add_option("args", tail_args, "NAME [stdout|stderr]")->required()->expected(1, 2);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }
    if (no_strict_modes) config::disable_strict_modes();

    if (*daemon_cmd) {
        // Without a command a config is required; with one it is optional
        // unless named explicitly.
        const char* env = std::getenv("SUPERV_CONFIG");
        const bool named = !config_option.empty() || (env != nullptr && *env != '\0');
        if (named || dopts.main_command.empty()) dopts.config_path = config_path(config_option);
        for (const auto& r : remaps) {
            auto [from, to] = *parse_exit_remap(r);
            dopts.remap_exit[from] = to;
        }
        for (const auto& r : rewrites) {
            auto [from, to] = *parse_signal_rewrite(r);
            dopts.signals.rewrite[static_cast<std::size_t>(from)] = to;
        }
        dopts.term_group_at_exit = dopts.signal_group;
        if (!pdeathsig.empty()) dopts.pdeathsig = *parse_signal(pdeathsig);
        if (stopwaitsecs >= 0) {
            dopts.stop_grace = std::chrono::milliseconds(std::llround(stopwaitsecs * 1000));
        }
        if (verbose > 0) dopts.log_level = verbose == 1 ? "info" : "debug";
        dopts.socket = remote_opts.socket;
        return daemon::run(dopts);
    }
    if (*check_cmd) return check(config_path(config_option));
    if (*import_cmd) return import_config(import_path);
    remote_opts.config_path = config_option;
    if (*version_cmd) {
        if (!remote_opts.json) version();
        request.cmd = "version";
        // Best effort: a client without a daemon still knows its own version.
        std::string error;
        auto client = control::Client::connect(client_socket_path(remote_opts), &error);
        if (client) return remote(remote_opts, request);
        if (remote_opts.json) std::printf("{\"ok\": true, \"version\": \"%s\"}\n", SUPERV_VERSION);
        return kExitOk;
    }
    for (CLI::App* cmd : remote_cmds) {
        if (!*cmd) continue;
        request.cmd = cmd->get_name();
        if (request.cmd == "tail") {
            request.names = {tail_args.front()};
            if (tail_args.size() > 1) request.stream = tail_args[1];
            if (request.stream != "stdout" && request.stream != "stderr") {
                std::fprintf(stderr, "superv: tail: stream must be stdout or stderr\n");
                return kExitUsage;
            }
        }
        return remote(remote_opts, request);
    }
    return kExitUsage;
}

}  // namespace superv::cli

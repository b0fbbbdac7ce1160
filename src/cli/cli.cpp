#include "superv/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "superv/cli/commands.hpp"
#include "superv/cli/compat_command_line.hpp"
#include "superv/cli/daemon_flags.hpp"
#include "superv/common/round.hpp"
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

// Every value the command line sets; the CLI11 tree that fills it is gone
// before any subcommand runs (the daemon would carry it for its whole life).
struct CommandLine {
    std::string subcommand;  // the one parsed
    std::string config_option;
    bool no_strict_modes = false;
    daemon::Options dopts;
    std::vector<std::string> remaps, rewrites;
    std::string pdeathsig;
    double stopwaitsecs = -1;
    int verbose = 0;
    std::string import_path;
    RemoteOptions remote_opts;
    control::Request request;
    std::vector<std::string> tail_args;
};

// StrictModes (config files only root can change) apply as root; this turns
// them off for this run, reloads included.
void add_no_strict_modes(CLI::App* cmd, CommandLine& cl) {
    cmd->add_flag("--no-strict-modes", cl.no_strict_modes,
                  "as root, also load config files that others could write "
                  "(same as SUPERV_NO_STRICT_MODES=1)");
}

void add_daemon(CLI::App& app, CommandLine& cl) {
    daemon::Options& dopts = cl.dopts;
    auto* daemon_cmd = app.add_subcommand("daemon", "run the supervisor in the foreground");
    daemon_cmd->add_option("-c,--config", cl.config_option, "config file");
    daemon_cmd->add_flag("--init", dopts.init_mode,
                         "init mode (implied as PID 1): reap orphans, exit with the critical "
                         "program's code");
    daemon_cmd->add_option("--backend", dopts.backend, "event loop: auto, uring or epoll")
        ->transform(CLI::CheckedTransformer(kBackends, CLI::ignore_case))
        ->envname("SUPERV_BACKEND");
    daemon_cmd->add_option("command", dopts.main_command,
                           "after --: a command to supervise as program \"main\"");
    daemon_cmd
        ->add_option("--remap-exit", cl.remaps, "-- CMD: exit code N of superv becomes M (N=M)")
        ->check(pair_validator(parse_exit_remap, "N=M with exit codes 0..255"))
        ->allow_extra_args(false);  // one value each: `--` must still end the options
    daemon_cmd
        ->add_option("--rewrite-signal", cl.rewrites,
                     "-- CMD: signal S received is forwarded as R (S=R, R 0: dropped)")
        ->check(pair_validator(parse_signal_rewrite, "S=R with signals 1..31"))
        ->allow_extra_args(false);  // one value each: `--` must still end the options
    daemon_cmd->add_flag("--kill-group", dopts.signal_group,
                         "-- CMD: forward signals to the program's process group, and SIGTERM "
                         "what is left of it when the program exits");
    daemon_cmd
        ->add_option("--pdeathsig", cl.pdeathsig, "the signal superv gets when its parent dies")
        ->check([](const std::string& text) {
            return parse_signal(text) ? std::string() : "not a signal: " + text;
        });
    daemon_cmd
        ->add_option("--stopwaitsecs", cl.stopwaitsecs,
                     "-- CMD: seconds the program has after a forwarded SIGTERM before "
                     "SIGKILL (default: unlimited)")
        ->check(CLI::Range(0.0, 1e9));
    daemon_cmd->add_flag("-v,--verbose", cl.verbose, "log more (info; twice: debug)");
    add_no_strict_modes(daemon_cmd, cl);
}

// Every subcommand but `daemon`, in the order `superv --help` lists them.
void add_others(CLI::App& app, CommandLine& cl) {
    auto* check_cmd = app.add_subcommand("check", "validate a config file");
    check_cmd->add_option("-c,--config", cl.config_option, "config file");
    add_no_strict_modes(check_cmd, cl);

    auto* import_cmd =
        app.add_subcommand("import", "print a config (supervisord.conf or TOML) as superv.toml");
    import_cmd->add_option("file", cl.import_path, "the config to convert")->required();
    add_no_strict_modes(import_cmd, cl);

    auto* version_cmd =
        app.add_subcommand("version", "print the version (and the daemon's, if one runs)");
    version_cmd->add_flag("--json", cl.remote_opts.json,
                          "print the daemon's version reply as JSON");

    auto json_only = [&](CLI::App* cmd) {
        cmd->add_flag("--json", cl.remote_opts.json, "print the reply as JSON");
    };
    auto names = [&](CLI::App* cmd, bool required) {
        auto* opt = cmd->add_option("names", cl.request.names, "NAME, GROUP:*, GROUP:NAME or all");
        if (required) opt->required();
        json_only(cmd);
    };
    names(app.add_subcommand("status", "show processes; exit 3 unless all are RUNNING"), false);
    names(app.add_subcommand("start", "start processes and wait until they run"), true);
    names(app.add_subcommand("stop", "stop processes and wait until they have stopped"), true);
    names(app.add_subcommand("restart", "stop, then start processes"), true);
    auto* signal_cmd = app.add_subcommand("signal", "send a signal to processes");
    signal_cmd->add_option("signal", cl.request.signal, "TERM, SIGTERM or a number")->required();
    names(signal_cmd, true);
    json_only(app.add_subcommand("reload",
                                 "re-read the config, stop everything, start from the new config"));
    json_only(app.add_subcommand(
        "update", "apply config changes: start added, stop removed, restart changed"));
    names(app.add_subcommand("pid", "the daemon's pid, or the processes' pids"), false);
    json_only(app.add_subcommand("shutdown", "stop everything and make the daemon exit"));
    auto* tail_cmd = app.add_subcommand("tail", "print the end of a process's captured output");
    tail_cmd->add_flag("-f,--follow", cl.request.follow, "keep printing new output");
    tail_cmd->add_option("-n,--bytes", cl.request.bytes,
                         "how many bytes of the end (default 1600)");
    tail_cmd->add_option("args", cl.tail_args, "NAME [stdout|stderr]")->required()->expected(1, 2);
}

// Parses argv into `cl`; an exit code when there is nothing to run (help,
// a usage error). `superv daemon ...` (an init's start-up, where every
// instruction counts) builds only its own subcommand: the others cannot
// appear once `daemon` has been named.
std::optional<int> parse(int argc, char** argv, CommandLine& cl) {
    CLI::App app{"superv: a process supervisor on pidfds and io_uring", "superv"};
    app.require_subcommand(1);
    app.add_option(
        "-c,--config", cl.config_option,
        "config file (default $SUPERV_CONFIG, else " + std::string(kDefaultConfig) + ")");
    const bool only_daemon = argc > 1 && std::string_view(argv[1]) == "daemon";
    add_daemon(app, cl);
    if (!only_daemon) add_others(app, cl);
    app.add_option("-s,--socket", cl.remote_opts.socket,
                   "control socket (default $SUPERV_SOCKET, else the config's socket)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }
    cl.subcommand = app.get_subcommands().front()->get_name();
    return std::nullopt;
}

int run_daemon(CommandLine& cl) {
    daemon::Options& dopts = cl.dopts;
    // Without a command a config is required; with one it is optional
    // unless named explicitly.
    const char* env = std::getenv("SUPERV_CONFIG");
    const bool named = !cl.config_option.empty() || (env != nullptr && *env != '\0');
    if (named || dopts.main_command.empty()) dopts.config_path = config_path(cl.config_option);
    for (const auto& r : cl.remaps) {
        auto [from, to] = *parse_exit_remap(r);
        dopts.remap_exit[from] = to;
    }
    for (const auto& r : cl.rewrites) {
        auto [from, to] = *parse_signal_rewrite(r);
        dopts.signals.rewrite[static_cast<std::size_t>(from)] = to;
    }
    dopts.term_group_at_exit = dopts.signal_group;
    if (!cl.pdeathsig.empty()) dopts.pdeathsig = *parse_signal(cl.pdeathsig);
    if (cl.stopwaitsecs >= 0) {
        dopts.stop_grace = std::chrono::milliseconds(seconds_to_millis(cl.stopwaitsecs));
    }
    if (cl.verbose > 0) dopts.log_level = cl.verbose == 1 ? "info" : "debug";
    dopts.socket = cl.remote_opts.socket;
    // The parsing's leftovers (every string above) are not the daemon's.
    const daemon::Options options = std::move(dopts);
    cl = CommandLine();
    return daemon::run(options);
}

int run_remote(CommandLine& cl) {
    RemoteOptions& remote_opts = cl.remote_opts;
    control::Request& request = cl.request;
    remote_opts.config_path = cl.config_option;
    if (cl.subcommand == "version") {
        if (!remote_opts.json) version();
        request.cmd = "version";
        // Best effort: a client without a daemon still knows its own version.
        std::string error;
        auto client = control::Client::connect(client_socket_path(remote_opts), &error);
        if (client) return remote(remote_opts, request);
        if (remote_opts.json) std::printf("{\"ok\": true, \"version\": \"%s\"}\n", SUPERV_VERSION);
        return kExitOk;
    }
    request.cmd = cl.subcommand;
    if (request.cmd == "tail") {
        request.names = {cl.tail_args.front()};
        if (cl.tail_args.size() > 1) request.stream = cl.tail_args[1];
        if (request.stream != "stdout" && request.stream != "stderr") {
            std::fprintf(stderr, "superv: tail: stream must be stdout or stderr\n");
            return kExitUsage;
        }
    }
    return remote(remote_opts, request);
}
}  // namespace

int run(int argc, char** argv) {
    if (auto code = run_compat(argc, argv)) return *code;
    CommandLine cl;
    if (auto code = parse(argc, argv, cl)) return *code;
    if (cl.no_strict_modes) config::disable_strict_modes();
    if (cl.subcommand == "daemon") return run_daemon(cl);
    if (cl.subcommand == "check") return check(config_path(cl.config_option));
    if (cl.subcommand == "import") return import_config(cl.import_path);
    return run_remote(cl);
}

}  // namespace superv::cli

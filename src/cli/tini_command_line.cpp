#include <signal.h>

#include <cstdlib>
#include <string_view>

#include "superv/cli/compat_command_line.hpp"

namespace superv::cli {

namespace {
constexpr const char* kTiniVersion = "tini version 0.19.0 (superv " SUPERV_VERSION ")";

std::string usage(const std::string& name) {
    return name + " (" + kTiniVersion + ")\n" + "Usage: " + name +
           " [OPTIONS] PROGRAM -- [ARGS] | --version\n\n"
           "Execute a program under the supervision of a valid init process (" +
           name +
           ")\n\n"
           "Command line options:\n\n"
           "  --version: Show version and exit.\n"
           "  -h: Show this help message and exit.\n"
           "  -s: Register as a process subreaper (requires Linux >= 3.4).\n"
           "  -p SIGNAL: Trigger SIGNAL when parent dies, e.g. \"-p SIGKILL\".\n"
           "  -v: Generate more verbose output. Repeat up to 3 times.\n"
           "  -w: Print a warning when processes are getting reaped.\n"
           "  -g: Send signals to the child's process group.\n"
           "  -e EXIT_CODE: Remap EXIT_CODE (from 0 to 255) to 0.\n"
           "  -l: Show license and exit.\n\n"
           "Environment variables:\n\n"
           "  TINI_SUBREAPER: Register as a process subreaper (requires Linux >= 3.4).\n"
           "  TINI_VERBOSITY: Set the verbosity level (default: 1).\n"
           "  TINI_KILL_PROCESS_GROUP: Send signals to the child's process group.\n\n";
}

constexpr const char* kLicense =
    "superv, running as tini: a drop-in for tini (MIT License, Copyright (c) 2015 Thomas "
    "Orozco), not its code.\n";

// tini's -p takes the full names it knows ("SIGKILL", not "KILL" or "9").
int pdeath_signal(std::string_view name) {
    static constexpr struct {
        const char* name;
        int number;
    } kNames[] = {
        {"SIGHUP", SIGHUP},       {"SIGINT", SIGINT},   {"SIGQUIT", SIGQUIT},
        {"SIGILL", SIGILL},       {"SIGTRAP", SIGTRAP}, {"SIGABRT", SIGABRT},
        {"SIGBUS", SIGBUS},       {"SIGFPE", SIGFPE},   {"SIGKILL", SIGKILL},
        {"SIGUSR1", SIGUSR1},     {"SIGSEGV", SIGSEGV}, {"SIGUSR2", SIGUSR2},
        {"SIGPIPE", SIGPIPE},     {"SIGALRM", SIGALRM}, {"SIGTERM", SIGTERM},
        {"SIGCHLD", SIGCHLD},     {"SIGCONT", SIGCONT}, {"SIGSTOP", SIGSTOP},
        {"SIGTSTP", SIGTSTP},     {"SIGTTIN", SIGTTIN}, {"SIGTTOU", SIGTTOU},
        {"SIGURG", SIGURG},       {"SIGXCPU", SIGXCPU}, {"SIGXFSZ", SIGXFSZ},
        {"SIGVTALRM", SIGVTALRM}, {"SIGPROF", SIGPROF}, {"SIGWINCH", SIGWINCH},
        {"SIGSYS", SIGSYS},
    };
    for (const auto& n : kNames) {
        if (name == n.name) return n.number;
    }
    return 0;
}

// strtol over the whole text, 0..255; -1 otherwise.
int exit_status(const std::string& text) {
    char* end = nullptr;
    const long status = std::strtol(text.c_str(), &end, 10);
    if (end == nullptr || *end != '\0' || status < 0 || status > 255) return -1;
    return static_cast<int>(status);
}

const char* verbosity_level(long verbosity) {
    if (verbosity <= 0) return "error";
    if (verbosity == 1) return "warn";
    if (verbosity == 2) return "info";
    return "debug";
}

}  // namespace

CompatCommandLine parse_tini(const std::vector<std::string>& args, const Getenv& getenv) {
    std::string name = args.empty() ? "tini" : args[0];
    if (auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
    if (args.size() == 2 && args[1] == "--version")
        return finished(std::string(kTiniVersion) + "\n", "");

    daemon::Options options;
    long verbosity = 1;
    bool group = false;
    std::vector<std::string> command;
    bool options_ended = false;
    // getopt("p:hvwgle:s") as glibc runs it: options anywhere until `--`.
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (options_ended || arg.size() < 2 || arg[0] != '-') {
            command.push_back(arg);
            continue;
        }
        if (arg == "--") {
            options_ended = true;
            continue;
        }
        if (arg[1] == '-') {
            return usage_error(name + ": unrecognized option '" + arg + "'\n" + usage(name));
        }
        for (std::size_t j = 1; j < arg.size(); ++j) {
            const char c = arg[j];
            std::string value;
            if (c == 'p' || c == 'e') {
                if (j + 1 < arg.size()) {
                    value = arg.substr(j + 1);
                } else if (i + 1 < args.size()) {
                    value = args[++i];
                } else {
                    return usage_error(name + ": option requires an argument -- '" + c + "'\n" +
                                       usage(name));
                }
                j = arg.size();
            }
            switch (c) {
                case 'h':
                    return finished(usage(name), "");
                case 's':
                    break;  // superv is always a subreaper when not PID 1
                case 'p':
                    options.pdeathsig = pdeath_signal(value);
                    if (options.pdeathsig == 0) {
                        return usage_error("[FATAL tini] Not a valid option for -p: " + value +
                                           "\n");
                    }
                    break;
                case 'v':
                    ++verbosity;
                    break;
                case 'w':
                    options.warn_on_reap = true;
                    break;
                case 'g':
                    group = true;
                    break;
                case 'e': {
                    const int status = exit_status(value);
                    if (status < 0) {
                        return usage_error("[FATAL tini] Not a valid option for -e: " + value +
                                           "\n");
                    }
                    options.remap_exit[status] = 0;
                    break;
                }
                case 'l':
                    return finished(kLicense, "");
                default:
                    return usage_error(name + ": invalid option -- '" + c + "'\n" + usage(name));
            }
        }
    }
    if (command.empty()) return usage_error(usage(name));

    if (getenv("TINI_KILL_PROCESS_GROUP") != nullptr) group = true;
    if (const char* v = getenv("TINI_VERBOSITY")) verbosity = std::atol(v);
    options.main_command = std::move(command);
    options.signal_group = group;
    options.log_level = verbosity_level(verbosity);
    // tini ignores SIGTTIN and SIGTTOU (they are the terminal's, not the program's).
    options.signals.rewrite[SIGTTIN] = 0;
    options.signals.rewrite[SIGTTOU] = 0;
    CompatCommandLine r;
    r.run = std::move(options);
    return r;
}

}  // namespace superv::cli

#include <signal.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "superv/cli/compat_command_line.hpp"

namespace superv::cli {

namespace {
constexpr int kMaxSignal = 31;
constexpr const char* kVersion = "dumb-init v1.2.5 (superv " SUPERV_VERSION ")\n";

std::string help(const std::string& argv0) {
    return std::string(kVersion) + "Usage: " + argv0 +
           " [option] command [[arg] ...]\n\n"
           "dumb-init is a simple process supervisor that forwards signals to children.\n"
           "It is designed to run as PID1 in minimal container environments.\n\n"
           "Optional arguments:\n"
           "   -c, --single-child   Run in single-child mode.\n"
           "                        In this mode, signals are only proxied to the\n"
           "                        direct child and not any of its descendants.\n"
           "   -r, --rewrite s:r    Rewrite received signal s to new signal r before proxying.\n"
           "                        To ignore (not proxy) a signal, rewrite it to 0.\n"
           "                        This option can be specified multiple times.\n"
           "   -v, --verbose        Print debugging information to stderr.\n"
           "   -h, --help           Print this help message and exit.\n"
           "   -V, --version        Print the current version and exit.\n\n"
           "(superv running as dumb-init: see superv(1), COMPATIBILITY.)\n";
}

constexpr const char* kRewriteHelp =
    "Usage: -r option takes <signum>:<signum>, where <signum> is between 1 and 31.\n"
    "This option can be specified multiple times.\n"
    "Use --help for full usage.\n";

// "S:R" as sscanf("%d:%d") reads it: S in 1..31, R in 0..31.
bool parse_rewrite(const std::string& text, int* from, int* to) {
    char tail = 0;
    int n = std::sscanf(text.c_str(), "%d:%d%c", from, to, &tail);
    if (n < 2) return false;
    return *from >= 1 && *from <= kMaxSignal && *to >= 0 && *to <= kMaxSignal;
}

// A long option as getopt_long matches it: exactly, or by an unambiguous prefix.
std::string long_option(std::string_view given) {
    static constexpr const char* kLong[] = {"help", "single-child", "rewrite", "verbose",
                                            "version"};
    std::string found;
    for (const char* name : kLong) {
        if (given == name) return name;
        if (std::string_view(name).substr(0, given.size()) == given) {
            if (!found.empty()) return "?";  // ambiguous
            found = name;
        }
    }
    return found.empty() ? "?" : found;
}
}  // namespace

CompatCommandLine parse_dumb_init(const std::vector<std::string>& args, const Getenv& getenv) {
    const std::string argv0 = args.empty() ? "dumb-init" : args[0];
    std::array<int, daemon::kStandardSignals> rewrite;
    rewrite.fill(-1);
    bool setsid = true;
    bool verbose = false;
    std::size_t i = 1;
    // getopt_long("+hvVcr:"): options until the first non-option.
    for (; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (arg.size() < 2 || arg[0] != '-') break;
        std::vector<std::pair<char, std::string>> given;  // option, its value
        if (arg[1] == '-') {
            const std::size_t eq = arg.find('=');
            const std::string name =
                long_option(arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2));
            if (name == "?") return usage_error(argv0 + ": unrecognized option '" + arg + "'\n");
            if (name == "rewrite") {
                std::string value;
                if (eq != std::string::npos) {
                    value = arg.substr(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args[++i];
                } else {
                    return usage_error(argv0 + ": option '--rewrite' requires an argument\n");
                }
                given.emplace_back('r', value);
            } else if (eq != std::string::npos) {
                return usage_error(argv0 + ": option '--" + name + "' doesn't allow an argument\n");
            } else {
                given.emplace_back(name == "single-child" ? 'c'
                                   : name == "version"    ? 'V'
                                                          : name[0],
                                   "");
            }
        } else {
            for (std::size_t j = 1; j < arg.size(); ++j) {
                if (arg[j] != 'r') {
                    given.emplace_back(arg[j], "");
                    continue;
                }
                if (j + 1 < arg.size()) {
                    given.emplace_back('r', arg.substr(j + 1));
                } else if (i + 1 < args.size()) {
                    given.emplace_back('r', args[++i]);
                } else {
                    return usage_error(argv0 + ": option requires an argument -- 'r'\n");
                }
                break;
            }
        }
        for (const auto& [c, value] : given) {
            switch (c) {
                case 'h':
                    return finished("", help(argv0));
                case 'v':
                    verbose = true;
                    break;
                case 'V':
                    return finished("", kVersion);
                case 'c':
                    setsid = false;
                    break;
                case 'r': {
                    int from = 0, to = 0;
                    if (!parse_rewrite(value, &from, &to)) return usage_error(kRewriteHelp);
                    rewrite[static_cast<std::size_t>(from)] = to;
                    break;
                }
                default:
                    return usage_error(argv0 + ": invalid option -- '" + c + "'\n");
            }
        }
    }
    if (i >= args.size()) {
        return usage_error("Usage: " + argv0 + " [option] program [args]\nTry " + argv0 +
                           " --help for full usage.\n");
    }
    const char* debug = getenv("DUMB_INIT_DEBUG");
    if (debug != nullptr && std::strcmp(debug, "1") == 0) verbose = true;
    const char* setsid_env = getenv("DUMB_INIT_SETSID");
    if (setsid_env != nullptr && std::strcmp(setsid_env, "0") == 0) setsid = false;

    daemon::Options options;
    options.main_command.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
    // dumb-init forwards every signal it receives, the fault signals too.
    options.signals.own.reset();
    if (setsid) {
        // Job control: the group is stopped for real, then dumb-init stops.
        for (int sig : {SIGTSTP, SIGTTOU, SIGTTIN}) {
            if (rewrite[static_cast<std::size_t>(sig)] == -1) {
                rewrite[static_cast<std::size_t>(sig)] = SIGSTOP;
            }
        }
        options.signal_group = true;
        options.term_group_at_exit = true;
    }
    // After forwarding SIGTSTP, SIGTTIN or SIGTTOU dumb-init stops itself.
    options.signals.stop_with_job_control = true;
    for (std::size_t sig = 1; sig < rewrite.size(); ++sig) {
        if (rewrite[sig] != -1) options.signals.rewrite[sig] = rewrite[sig];
    }
    options.log_level = verbose ? "debug" : "warn";
    options.exec_failure_code = 2;
    CompatCommandLine r;
    r.run = std::move(options);
    return r;
}

}  // namespace superv::cli

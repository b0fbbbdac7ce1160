// superv invoked as `tini` or `dumb-init` (a symlink, as images call them):
// their command lines and environment, read as they read them, turned into
// the daemon's options. Pure: the arguments and an environment lookup in,
// what to run (or what to print and the exit code) out.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "superv/daemon/daemon.hpp"

namespace superv::cli {

struct CompatCommandLine {
    std::optional<daemon::Options> run;  // set: run the daemon with these
    int exit_code = 0;                   // otherwise: exit with this code
    std::string out, err;                // after printing these
};

// Nothing to run: print `out` and `err`, exit 0.
inline CompatCommandLine finished(std::string out, std::string err) {
    CompatCommandLine r;
    r.out = std::move(out);
    r.err = std::move(err);
    return r;
}
// A usage error: print `err`, exit 1 (as both tools do).
inline CompatCommandLine usage_error(std::string err) {
    CompatCommandLine r = finished("", std::move(err));
    r.exit_code = 1;
    return r;
}

// getenv, or a table in tests; nullptr when unset.
using Getenv = std::function<const char*(const char*)>;

// tini 0.19: `tini [-s] [-p SIGNAL] [-v...] [-w] [-g] [-e CODE...] [-l] [-h]
// PROGRAM [ARGS]` (options may follow PROGRAM until `--`, as getopt permutes
// them), `tini --version`; TINI_SUBREAPER, TINI_KILL_PROCESS_GROUP,
// TINI_VERBOSITY. Usage errors exit 1.
CompatCommandLine parse_tini(const std::vector<std::string>& args, const Getenv& getenv);

// dumb-init 1.2: `dumb-init [-c] [-r S:R...] [-v] [-V] [-h] PROGRAM [ARGS]`
// (long forms --single-child, --rewrite, --verbose, --version, --help; the
// first non-option is the program); DUMB_INIT_SETSID=0, DUMB_INIT_DEBUG=1.
// Usage errors exit 1.
CompatCommandLine parse_dumb_init(const std::vector<std::string>& args, const Getenv& getenv);

}  // namespace superv::cli

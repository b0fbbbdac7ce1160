// Contradictions between a program's start-order keys and its other keys,
// each reported at the key that cannot hold.
#include <sys/resource.h>

#include <algorithm>

#include "tables.hpp"

namespace superv::config::detail {
namespace {

// Linux's default soft RLIMIT_NOFILE (and systemd's for services): a child
// cannot have an fd at or above it unless `rlimits` raises it.
constexpr std::uint64_t kUsualOpenFiles = 1024;

const toml::source_region& where(const toml::table& table, std::string_view key) {
    return table.get(key)->source();
}

bool captures_output(const ProgramConfig& program) {
    const bool stdout_file = program.stdout_log.target.kind == LogTarget::Kind::File;
    const bool stderr_file = program.stderr_log.target.kind == LogTarget::Kind::File;
    return stdout_file || (stderr_file && !program.redirect_stderr);
}

void check_oneshot(const ProgramConfig& program, const toml::table& table, Diagnostics& diag) {
    const std::string name = quote(program.name);
    if (program.autorestart == AutoRestart::Always && table.contains("autorestart")) {
        diag.error(where(table, "autorestart"),
                   "\"autorestart\" = \"always\" contradicts type = \"oneshot\" in program " +
                       name +
                       ": a oneshot that completed is not run again (use \"on-failure\" or "
                       "\"never\")");
    }
    if (program.ready.kind != Readiness::Kind::None) {
        diag.error(where(table, "ready"), "\"ready\" does not apply to oneshot program " + name +
                                              ": a oneshot is done when it exits");
    }
    if (table.contains("ready_timeout")) {
        diag.error(where(table, "ready_timeout"),
                   "\"ready_timeout\" does not apply to oneshot program " + name +
                       ": a oneshot is done when it exits");
    }
    if (table.contains("healthcheck")) {
        diag.error(where(table, "healthcheck"),
                   "\"healthcheck\" does not apply to oneshot program " + name +
                       ": a oneshot is not up long enough to check");
    }
}

void check_ready_fd(const ProgramConfig& program, const toml::table& table, Diagnostics& diag) {
    auto nofile = std::find_if(program.rlimits.begin(), program.rlimits.end(),
                               [](const ResourceLimit& l) { return l.resource == RLIMIT_NOFILE; });
    const std::uint64_t limit = nofile == program.rlimits.end() ? kUsualOpenFiles : nofile->soft;
    if (static_cast<std::uint64_t>(program.ready.fd) < limit) return;
    const std::string fd = std::to_string(program.ready.fd);
    const toml::node* value = table.get("ready")->as_table()->get("fd");
    if (nofile == program.rlimits.end()) {
        diag.error(value->source(), "ready fd " + fd +
                                        " is not below 1024, the usual soft RLIMIT_NOFILE; "
                                        "raise it with rlimits = { nofile = ... } or pick a "
                                        "lower fd");
    } else {
        diag.error(value->source(), "ready fd " + fd + " is not below the program's soft " +
                                        "RLIMIT_NOFILE (rlimits nofile = " + std::to_string(limit) +
                                        ")");
    }
}

}  // namespace

void check_start_keys(const ProgramConfig& program, const toml::table& table, Diagnostics& diag) {
    if (program.type == ProgramType::Oneshot) check_oneshot(program, table, diag);
    if (program.ready.kind == Readiness::Kind::None && table.contains("ready_timeout") &&
        program.type != ProgramType::Oneshot) {
        diag.error(where(table, "ready_timeout"),
                   "\"ready_timeout\" needs \"ready\" in [programs." + program.name +
                       "]: without it the program is ready once RUNNING");
    }
    if (program.ready.kind == Readiness::Kind::Log && !captures_output(program)) {
        diag.error(where(table, "ready"),
                   "ready = { log = ... } matches the program's captured output, but program " +
                       quote(program.name) +
                       " captures none: set \"stdout_logfile\" (or \"stderr_logfile\") to a "
                       "file");
    }
    if (program.ready.kind == Readiness::Kind::Fd) check_ready_fd(program, table, diag);
    // A oneshot's `ready` is already an error of its own.
    if (program.ready.kind == Readiness::Kind::Healthy && program.type != ProgramType::Oneshot &&
        program.healthcheck.kind == HealthCheck::Kind::None && !table.contains("healthcheck")) {
        diag.error(where(table, "ready"), "ready = \"healthy\" needs a health check ([programs." +
                                              program.name +
                                              ".healthcheck]): without one program " +
                                              quote(program.name) + " never turns healthy");
    }
}

}  // namespace superv::config::detail

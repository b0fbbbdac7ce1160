#include <climits>

#include "accounts.hpp"
#include "privileges.hpp"
#include "table_reader.hpp"
#include "tables.hpp"

namespace superv::config::detail {
namespace {

using P = ProgramConfig;

template <class T, class U>
void assign(T& target, std::optional<U>&& value) {
    if (value) target = std::move(*value);
}

constexpr KeyReader<P> kProgramKeys[] = {
    {"command", [](P& p, const Field& f) { assign(p.command, read_command(f)); }},
    {"directory", [](P& p, const Field& f) { assign(p.directory, read_path(f)); }},
    {"environment", [](P& p, const Field& f) { assign(p.environment, read_environment(f)); }},
    {"user", [](P& p, const Field& f) { assign(p.user, read_user(f)); }},
    {"group", [](P& p, const Field& f) { assign(p.group, read_group(f, true)); }},
    {"umask", [](P& p, const Field& f) { assign(p.umask, read_mode(f, 0777)); }},
    {"capabilities", [](P& p, const Field& f) { assign(p.capabilities, read_capabilities(f)); }},
    {"no_new_privs", [](P& p, const Field& f) { assign(p.no_new_privs, read_bool(f)); }},
    {"rlimits", [](P& p, const Field& f) { assign(p.rlimits, read_rlimits(f)); }},
    {"clear_environment", [](P& p, const Field& f) { assign(p.clear_environment, read_bool(f)); }},
    {"autostart", [](P& p, const Field& f) { assign(p.autostart, read_bool(f)); }},
    {"autorestart", [](P& p, const Field& f) { assign(p.autorestart, read_autorestart(f)); }},
    {"exitcodes", [](P& p, const Field& f) { assign(p.exitcodes, read_exitcodes(f)); }},
    {"startsecs", [](P& p, const Field& f) { assign(p.startsecs, read_duration(f)); }},
    {"startretries", [](P& p, const Field& f) { assign(p.startretries, read_int(f, 0, INT_MAX)); }},
    {"stopsignal", [](P& p, const Field& f) { assign(p.stopsignal, read_signal(f)); }},
    {"stopwaitsecs", [](P& p, const Field& f) { assign(p.stopwaitsecs, read_duration(f)); }},
    {"stopasgroup", [](P& p, const Field& f) { assign(p.stopasgroup, read_bool(f)); }},
    {"killasgroup", [](P& p, const Field& f) { assign(p.killasgroup, read_bool(f)); }},
    {"numprocs", [](P& p, const Field& f) { assign(p.numprocs, read_int(f, 1, kMaxNumprocs)); }},
    {"priority", [](P& p, const Field& f) { assign(p.priority, read_int(f, INT_MIN, INT_MAX)); }},
    {"critical", [](P& p, const Field& f) { assign(p.critical, read_bool(f)); }},
    {"redirect_stderr", [](P& p, const Field& f) { assign(p.redirect_stderr, read_bool(f)); }},
    {"stdout_logfile",
     [](P& p, const Field& f) { assign(p.stdout_log.target, read_log_target(f)); }},
    {"stdout_logfile_maxbytes",
     [](P& p, const Field& f) { assign(p.stdout_log.max_bytes, read_size(f)); }},
    {"stdout_logfile_backups",
     [](P& p, const Field& f) { assign(p.stdout_log.backups, read_int(f, 0, INT_MAX)); }},
    {"stderr_logfile",
     [](P& p, const Field& f) { assign(p.stderr_log.target, read_log_target(f)); }},
    {"stderr_logfile_maxbytes",
     [](P& p, const Field& f) { assign(p.stderr_log.max_bytes, read_size(f)); }},
    {"stderr_logfile_backups",
     [](P& p, const Field& f) { assign(p.stderr_log.backups, read_int(f, 0, INT_MAX)); }},
    {"stdin", [](P& p, const Field& f) { assign(p.stdin_pipe, read_stdin(f)); }},
    {"serverurl", [](P& p, const Field& f) { assign(p.serverurl, read_serverurl(f)); }},
    {"type", [](P& p, const Field& f) { assign(p.type, read_type(f)); }},
    {"depends_on", [](P& p, const Field& f) { assign(p.depends_on, read_depends_on(f)); }},
    {"ready", [](P& p, const Field& f) { assign(p.ready, read_ready(f)); }},
    {"ready_timeout", [](P& p, const Field& f) { assign(p.ready_timeout, read_duration(f)); }},
    {"healthcheck",
     [](P& p, const Field& f) { assign(p.healthcheck, read_healthcheck(f, p.name)); }},
};

// supervisord lets killasgroup default to stopasgroup; a group that got the
// stop signal but whose stragglers escape SIGKILL is never what one wants,
// so an explicit `killasgroup = false` next to `stopasgroup = true` is an error.
void imply_killasgroup(P& program, const toml::table& table, Diagnostics& diag) {
    if (!program.stopasgroup) return;
    const toml::node* kill = table.get("killasgroup");
    if (kill && kill->value_exact<bool>() == false) {
        diag.error(kill->source(),
                   "\"killasgroup\" = false contradicts \"stopasgroup\" = true in [programs." +
                       program.name + "] (stopasgroup implies killasgroup)");
    }
    program.killasgroup = true;
}

}  // namespace

ProgramConfig read_program(std::string_view name, const toml::table& table, const SourcePos& pos,
                           Context& ctx) {
    // [programs.main] beside `-- CMD`: settings of the command line's program.
    const bool is_main = ctx.main_program != nullptr && name == ctx.main_program->name;
    ProgramConfig program = is_main ? *ctx.main_program : ProgramConfig{};
    program.name = std::string(name);
    program.pos = pos;
    read_keys<P>(table, kProgramKeys, program, ctx, "[programs." + program.name + "]");
    if (is_main) {
        if (const toml::node* command = table.get("command")) {
            ctx.diag.error(command->source(),
                           "[programs.main] sets a \"command\", but the command given after -- "
                           "is main's (leave \"command\" out to configure it)");
        }
        program.command = ctx.main_program->command;
    } else if (!table.contains("command")) {
        ctx.diag.error(pos, "program " + quote(name) + " has no \"command\"");
    }
    imply_killasgroup(program, table, ctx.diag);
    check_start_keys(program, table, ctx.diag);
    return program;
}

}  // namespace superv::config::detail

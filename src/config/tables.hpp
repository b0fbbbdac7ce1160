// Reading the three kinds of tables, and the checks that span tables.
// Private to src/config.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "load_context.hpp"
#include "superv/config/config.hpp"

namespace superv::config::detail {

// A [groups.NAME] table with the positions the cross-table checks report at.
struct GroupDraft {
    GroupConfig config;
    std::vector<SourcePos> member_pos;  // one per config.programs entry
};

// [superv]
void read_daemon(const toml::table& table, DaemonConfig& daemon, Context& ctx);

struct Field;

// [superv.http]: its listeners, each with the table's username and password.
std::optional<std::vector<HttpListener>> read_http(const Field& field);

// How `listen` spells a listener: "/run/h.sock", "127.0.0.1:9001",
// "[::1]:9001", "*:9001".
std::string listen_address(const HttpListener& listener);

// A unix listener's mode and group are [superv]'s socket_mode and
// socket_group; applied once the whole [superv] table is read.
void apply_socket_options(DaemonConfig& daemon);

// A cap so that a typo such as numprocs = 10000000 is an error rather than
// ten million forks.
inline constexpr int kMaxNumprocs = 10000;

// [programs.NAME.healthcheck] of program `program`.
std::optional<HealthCheck> read_healthcheck(const Field& field, std::string_view program);

// [programs.NAME]; `pos` is where the table starts.
ProgramConfig read_program(std::string_view name, const toml::table& table, const SourcePos& pos,
                           Context& ctx);

// What `type`, `ready`, `ready_timeout` and `healthcheck` need from the
// rest of the program's table: a oneshot neither restarts always nor has
// `ready` or a health check; `ready_timeout` only with `ready`; `ready = {
// log }` only with captured output; `ready = { fd = N }` below the program's
// RLIMIT_NOFILE; `ready = "healthy"` only with a health check.
void check_start_keys(const ProgramConfig& program, const toml::table& table, Diagnostics& diag);

// [groups.NAME]
GroupDraft read_group(std::string_view name, const toml::table& table, const SourcePos& pos,
                      Context& ctx);

// Program and group names end up in selectors ("GROUP:NAME") and file names,
// so they are limited to [A-Za-z0-9_.-]+; "all" is the selector for everything.
bool check_name(std::string_view kind, std::string_view name, const toml::source_region& where,
                Diagnostics& diag);
bool check_name(std::string_view kind, std::string_view name, const SourcePos& where,
                Diagnostics& diag);

// Process names unique across programs; group members exist, are listed
// once, in one group; a group does not take the name of a program outside it;
// check_dependencies().
void check_programs_and_groups(const std::vector<ProgramConfig>& programs,
                               const std::vector<GroupDraft>& groups, Diagnostics& diag);

// `depends_on`: every target a program or a group (a name that is both
// means the program), no program needing itself, no condition that cannot
// hold in its target (`completed` but not a oneshot; `running` or `healthy`
// on one; `healthy` without a health check), no cycle (each named in full at the entry that closes
// it).
void check_dependencies(const std::vector<ProgramConfig>& programs,
                        const std::vector<GroupDraft>& groups, Diagnostics& diag);

}  // namespace superv::config::detail

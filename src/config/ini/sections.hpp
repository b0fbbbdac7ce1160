// The sections of supervisord.conf and the readers that turn each kind into
// superv's config. Private to src/config.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "section_reader.hpp"
#include "superv/config/config.hpp"

namespace superv::config::detail::ini {

enum class SectionKind {
    Supervisord,    // [supervisord]
    Superv,         // [superv]: superv's own daemon keys, which supervisord ignores
    Program,        // [program:x]
    Group,          // [group:x]
    Include,        // [include]
    UnixHttp,       // [unix_http_server], also [unix_http_server:x], as supervisord
    InetHttp,       // [inet_http_server], likewise
    Supervisorctl,  // [supervisorctl]
    RpcInterface,   // [rpcinterface:x]
    EventListener,  // [eventlistener:x]
    FcgiProgram,    // [fcgi-program:x]
    CtlPlugin,      // [ctlplugin:x]
    Unknown,
};

SectionKind section_kind(std::string_view name);

// The x of [program:x] / [group:x]: stripped, and without " ", ":" or "/"
// (supervisord's process_or_group_name); nullopt after an error.
std::optional<std::string> section_suffix_name(IniContext& ctx, const IniSection& section);

// A [program:x] and the processes it becomes, one ProgramConfig each.
struct ProgramSection {
    const IniSection* section = nullptr;
    std::string name;  // x
    std::vector<ProgramConfig> processes;
    std::vector<SourcePos> name_pos;  // for each process: where its name comes from
};

// [program:x], its processes in group `group_name` (x, or the [group:y]
// that lists it).
ProgramSection read_program(IniContext& ctx, const IniSection& section, const std::string& name,
                            const std::string& group_name);

// [supervisord] (null: absent) into `daemon`; also sets ctx's identifier,
// childlogdir and daemon_environ, which the programs use.
void read_supervisord(IniContext& ctx, const IniSection* section, DaemonConfig& daemon);

// [superv]: socket, socket_mode, socket_group, shutdown_timeout.
void read_superv(IniContext& ctx, const IniSection& section, DaemonConfig& daemon);

HttpListener read_unix_http_server(IniContext& ctx, const IniSection& section);
HttpListener read_inet_http_server(IniContext& ctx, const IniSection& section);

// os.path.dirname(os.path.abspath(file)): what %(here)s means for `file`.
std::string absolute_dir_of(const std::string& file);

// [include] files of the main file: the files to read, in order.
std::vector<std::string> read_include(IniContext& ctx, const IniSection& section,
                                      const std::string& main_file);

// A [group:x] before its members are known as processes.
struct GroupSection {
    const IniSection* section = nullptr;
    std::string name;
    std::vector<std::string> programs;  // the x of each [program:x] it lists
    std::vector<SourcePos> program_pos;
    std::optional<int> priority;  // only when the section sets it
};

GroupSection read_group(IniContext& ctx, const IniSection& section, const std::string& name);

// Which of `groups` lists each of `programs` (the x of each [program:x]),
// after checking that each member exists and is listed in one group once.
std::map<std::string, std::size_t> group_membership(IniContext& ctx,
                                                    const std::vector<GroupSection>& groups,
                                                    const std::vector<std::string>& programs);

// superv's groups for the [group:x] sections and the programs in none
// (`group_of`: program name -> index into `groups`), after checking that
// the names superv selects by are unique: supervisord tells processes apart
// by GROUP:NAME, superv by NAME alone. Empty [group:x] sections are left out
// with a warning.
std::vector<GroupConfig> assemble_groups(IniContext& ctx, const std::vector<GroupSection>& groups,
                                         const std::vector<ProgramSection>& programs,
                                         const std::map<std::string, std::size_t>& group_of);

// The sections superv does not turn into config: accepted, warned about or
// refused, each as its kind deserves.
void check_other_section(IniContext& ctx, const IniSection& section, SectionKind kind);

}  // namespace superv::config::detail::ini

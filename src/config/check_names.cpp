#include <algorithm>
#include <map>
#include <set>

#include "superv/config/processes.hpp"
#include "tables.hpp"

namespace superv::config::detail {
namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

// Every process name maps to its program; the first program to claim a name
// keeps it, so the error lands on the later table in the file.
void check_process_names(const std::vector<ProgramConfig>& programs, Diagnostics& diag) {
    std::map<std::string, const ProgramConfig*> owner;
    for (const ProgramConfig& program : programs) {
        for (int index = 0; index < program.numprocs; ++index) {
            std::string name = process_name(program, index);
            auto [it, added] = owner.emplace(name, &program);
            if (added) continue;
            diag.error(program.pos,
                       "process name " + quote(name) + " of program " + quote(program.name) +
                           " is already used by program " + quote(it->second->name) +
                           " (numprocs = " + std::to_string(it->second->numprocs) + ")");
            break;
        }
    }
}

void check_members(const std::vector<ProgramConfig>& programs,
                   const std::vector<GroupDraft>& groups, Diagnostics& diag) {
    std::vector<std::string_view> program_names;
    for (const ProgramConfig& program : programs)
        program_names.push_back(program.name);
    std::map<std::string, std::string> group_of;  // program -> the group that listed it first

    for (const GroupDraft& draft : groups) {
        const GroupConfig& group = draft.config;
        std::set<std::string> listed;
        for (std::size_t i = 0; i < group.programs.size(); ++i) {
            const std::string& member = group.programs[i];
            const SourcePos& where = draft.member_pos[i];
            if (std::find(program_names.begin(), program_names.end(), member) ==
                program_names.end()) {
                diag.error(where, "group " + quote(group.name) + " lists program " + quote(member) +
                                      ", which is not defined" +
                                      did_you_mean(member, program_names));
            } else if (!listed.insert(member).second) {
                diag.error(where, "program " + quote(member) + " is listed twice in group " +
                                      quote(group.name));
            } else if (auto [it, added] = group_of.emplace(member, group.name); !added) {
                diag.error(where, "program " + quote(member) + " is already in group " +
                                      quote(it->second) + "; a program belongs to one group");
            }
        }
        // A program outside any [groups.X] forms a group of its own name, so
        // [groups.web] without program "web" would merge two groups under one
        // "web:*". With "web" as a member it is the group web had anyway.
        bool name_taken = std::find(program_names.begin(), program_names.end(), group.name) !=
                          program_names.end();
        if (name_taken && !listed.count(group.name)) {
            diag.error(group.pos, "group " + quote(group.name) + " has the name of program " +
                                      quote(group.name) + ", which is not one of its members");
        }
    }
}

}  // namespace

bool check_name(std::string_view kind, std::string_view name, const toml::source_region& where,
                Diagnostics& diag) {
    return check_name(kind, name, diag.at(where), diag);
}

bool check_name(std::string_view kind, std::string_view name, const SourcePos& where,
                Diagnostics& diag) {
    if (name == "all") {
        diag.error(where, std::string(kind) + " name \"all\" is reserved: it selects everything");
        return false;
    }
    if (!name.empty() && std::all_of(name.begin(), name.end(), is_name_char)) return true;
    diag.error(where, std::string(kind) + " name " + quote(name) +
                          " may contain only letters, digits, \"_\", \".\" and \"-\"");
    return false;
}

void check_programs_and_groups(const std::vector<ProgramConfig>& programs,
                               const std::vector<GroupDraft>& groups, Diagnostics& diag) {
    check_process_names(programs, diag);
    check_members(programs, groups, diag);
    check_dependencies(programs, groups, diag);
}

}  // namespace superv::config::detail

// [group:x], and superv's groups for every program: a [program:x] outside
// any [group:y] forms group x of its own processes, as in supervisord.
#include <algorithm>
#include <climits>

#include "../tables.hpp"
#include "py_values.hpp"
#include "sections.hpp"

namespace superv::config::detail::ini {
namespace {

constexpr std::string_view kGroupOptions[] = {"programs", "priority"};

// One group as superv will have it, with where it comes from.
struct Draft {
    GroupDraft group;
    std::string origin;        // "[group:x]", or "[program:x]" for the group a program forms
    bool needs_config = true;  // false: a program's single process of the program's name
};

// A process name and the section that gives it.
struct Owner {
    const ProgramSection* program;
    SourcePos pos;
    std::string group;
};

std::map<std::string, Owner> check_process_names(IniContext& ctx,
                                                 const std::vector<ProgramSection>& programs,
                                                 const std::vector<Draft>& drafts) {
    std::map<std::string, std::string> group_of_process;
    for (const Draft& draft : drafts) {
        for (const std::string& process : draft.group.config.programs)
            group_of_process.emplace(process, draft.group.config.name);
    }
    std::map<std::string, Owner> owners;
    for (const ProgramSection& program : programs) {
        for (std::size_t i = 0; i < program.processes.size(); ++i) {
            const std::string& name = program.processes[i].name;
            const SourcePos& pos = program.name_pos[i];
            // One report per program: its other processes are named alike.
            if (!check_name("process", name, pos, ctx.errors)) break;
            auto [it, added] = owners.emplace(name, Owner{&program, pos, group_of_process[name]});
            if (added) continue;
            const std::string title = "[" + program.section->name + "]";
            if (it->second.program == &program) {
                ctx.errors.error(pos, "process name " + quote(name) + " of " + title +
                                          " repeats: each process needs a name of its own");
            } else {
                ctx.errors.error(pos, "process name " + quote(name) + " of " + title +
                                          " is already the name of a process of [" +
                                          it->second.program->section->name + "] (" +
                                          it->second.pos.to_string() +
                                          "); superv names a process without its group, so "
                                          "process names must differ across groups");
            }
            break;
        }
    }
    return owners;
}

void check_group_names(IniContext& ctx, const std::vector<Draft>& drafts,
                       const std::map<std::string, Owner>& processes) {
    std::map<std::string, const Draft*> seen;
    for (const Draft& draft : drafts) {
        const GroupConfig& group = draft.group.config;
        if (draft.needs_config && !check_name("group", group.name, group.pos, ctx.errors)) continue;
        if (auto [it, added] = seen.emplace(group.name, &draft); !added) {
            ctx.errors.error(group.pos, "group " + quote(group.name) + " of " + draft.origin +
                                            " is also the group of " + it->second->origin + " (" +
                                            it->second->group.config.pos.to_string() +
                                            "); superv needs group names to differ");
            continue;
        }
        auto process = processes.find(group.name);
        if (process != processes.end() && process->second.group != group.name) {
            ctx.errors.error(group.pos, "group " + quote(group.name) + " of " + draft.origin +
                                            " has the name of a process of [" +
                                            process->second.program->section->name + "] in group " +
                                            quote(process->second.group) +
                                            "; superv selects a process by its name alone, so "
                                            "a group may share a name only with its own process");
        }
    }
}

}  // namespace

GroupSection read_group(IniContext& ctx, const IniSection& section, const std::string& name) {
    SectionReader r(ctx, section);
    const Names names = ctx.all_environ_names();
    GroupSection group;
    group.section = &section;
    group.name = name;
    if (const IniOption* programs = r.option("programs")) {
        if (auto text = r.expanded(*programs, names)) {
            // Positions of the members are exact when nothing was expanded.
            const bool verbatim = *text == programs->value.text;
            std::size_t from = 0;
            for (std::string& member : list_of_strings(*text)) {
                SourcePos pos = programs->value.pos();
                const std::size_t at = verbatim ? text->find(member, from) : std::string::npos;
                if (at != std::string::npos) {
                    pos = programs->value.at(at);
                    from = at + member.size();
                }
                group.programs.push_back(std::move(member));
                group.program_pos.push_back(pos);
            }
        }
    }
    if (r.option("priority")) {
        group.priority = static_cast<int>(r.integer("priority", names, 999, INT_MIN, INT_MAX));
    }
    r.warn_unknown(kGroupOptions);
    return group;
}

std::map<std::string, std::size_t> group_membership(IniContext& ctx,
                                                    const std::vector<GroupSection>& groups,
                                                    const std::vector<std::string>& programs) {
    std::vector<std::string_view> known(programs.begin(), programs.end());
    std::map<std::string, std::size_t> group_of;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const GroupSection& group = groups[g];
        const std::string title = "[" + group.section->name + "]";
        for (std::size_t i = 0; i < group.programs.size(); ++i) {
            const std::string& member = group.programs[i];
            const SourcePos& pos = group.program_pos[i];
            if (std::find(programs.begin(), programs.end(), member) == programs.end()) {
                ctx.errors.error(pos, title + " lists program " + quote(member) +
                                          ", which has no [program:" + member + "] section" +
                                          did_you_mean(member, known));
            } else if (auto [it, added] = group_of.emplace(member, g); !added) {
                ctx.errors.error(pos,
                                 it->second == g
                                     ? "program " + quote(member) + " is listed twice in " + title
                                     : "program " + quote(member) + " is already in [" +
                                           groups[it->second].section->name +
                                           "]; superv puts a program's processes in one group "
                                           "(supervisord would run them twice)");
            }
        }
    }
    return group_of;
}

std::vector<GroupConfig> assemble_groups(IniContext& ctx, const std::vector<GroupSection>& groups,
                                         const std::vector<ProgramSection>& programs,
                                         const std::map<std::string, std::size_t>& group_of) {
    std::vector<Draft> drafts;
    for (const GroupSection& group : groups) {
        Draft draft{{GroupConfig{group.name, {}, group.priority, group.section->pos}, {}},
                    "[" + group.section->name + "]"};
        for (std::size_t i = 0; i < group.programs.size(); ++i) {
            for (const ProgramSection& program : programs) {
                if (program.name != group.programs[i]) continue;
                for (const ProgramConfig& process : program.processes) {
                    draft.group.config.programs.push_back(process.name);
                    draft.group.member_pos.push_back(group.program_pos[i]);
                }
            }
        }
        if (group.programs.empty()) {
            ctx.warnings.error(group.section->pos, draft.origin +
                                                       " lists no programs; ignored (supervisord "
                                                       "would show an empty group)");
            continue;
        }
        drafts.push_back(std::move(draft));
    }
    for (const ProgramSection& program : programs) {
        if (group_of.count(program.name)) continue;
        Draft draft{{GroupConfig{program.name, {}, std::nullopt, program.section->pos}, {}},
                    "[" + program.section->name + "]"};
        for (std::size_t i = 0; i < program.processes.size(); ++i) {
            draft.group.config.programs.push_back(program.processes[i].name);
            draft.group.member_pos.push_back(program.name_pos[i]);
        }
        // A process named as its program is the group superv forms anyway.
        draft.needs_config =
            program.processes.size() != 1 || program.processes[0].name != program.name;
        drafts.push_back(std::move(draft));
    }

    check_group_names(ctx, drafts, check_process_names(ctx, programs, drafts));
    std::vector<GroupConfig> configs;
    std::vector<GroupDraft> checked;
    std::vector<ProgramConfig> processes;
    for (const ProgramSection& program : programs)
        processes.insert(processes.end(), program.processes.begin(), program.processes.end());
    for (Draft& draft : drafts) {
        if (!draft.needs_config) continue;
        configs.push_back(draft.group.config);
        checked.push_back(std::move(draft.group));
    }
    // superv's own rules, which the checks above word in supervisord's
    // terms; only a safety net, which would repeat their errors.
    if (ctx.errors.count() == 0) check_programs_and_groups(processes, checked, ctx.errors);
    return configs;
}

}  // namespace superv::config::detail::ini

// supervisord.conf to superv's Config, in supervisord 4.2.5's order: the
// main file, its [include] files, [supervisord] (whose environment the later
// sections' %(ENV_X)s see), the groups and programs, the servers.
#include "load.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>

#include "../include.hpp"
#include "../include_read.hpp"
#include "sections.hpp"
#include "superv/config/supervisord.hpp"

extern char** environ;

namespace superv::config::detail::ini {
namespace {

std::string node_name() {
    struct utsname name {};
    return ::uname(&name) == 0 ? name.nodename : "";
}

struct Sections {
    std::vector<GroupSection> groups;
    std::vector<std::pair<const IniSection*, std::string>> programs;  // section, its name
    std::vector<HttpListener> unix_servers, inet_servers;
};

Sections read_sections(IniContext& ctx, DaemonConfig& daemon) {
    Sections found;
    for (const IniSection& section : ctx.parser.sections()) {
        const SectionKind kind = section_kind(section.name);
        switch (kind) {
            case SectionKind::Supervisord:
            case SectionKind::Include:
                break;  // read first
            case SectionKind::Superv:
                read_superv(ctx, section, daemon);
                break;
            case SectionKind::Program:
                if (auto name = section_suffix_name(ctx, section)) {
                    auto same = std::find_if(found.programs.begin(), found.programs.end(),
                                             [&](const auto& p) { return p.second == *name; });
                    if (same != found.programs.end()) {
                        ctx.errors.error(section.pos, "[" + section.name + "] and [" +
                                                          same->first->name +
                                                          "] both define program " + quote(*name));
                    } else {
                        found.programs.emplace_back(&section, *name);
                    }
                }
                break;
            case SectionKind::Group:
                if (auto name = section_suffix_name(ctx, section)) {
                    found.groups.push_back(read_group(ctx, section, *name));
                }
                break;
            case SectionKind::UnixHttp:
                found.unix_servers.push_back(read_unix_http_server(ctx, section));
                break;
            case SectionKind::InetHttp:
                found.inet_servers.push_back(read_inet_http_server(ctx, section));
                break;
            default:
                check_other_section(ctx, section, kind);
        }
    }
    return found;
}

// [DEFAULT] keys apply to every section that reads such an option; one that
// no section reads would otherwise vanish without a word.
void check_defaults(IniContext& ctx) {
    for (const IniOption& option : ctx.parser.defaults().options) {
        if (ctx.defaults_used.count(option.name)) continue;
        ctx.warnings.error(option.name_pos, "[DEFAULT] " + quote(option.name) +
                                                " is an option of no section here; ignored, as "
                                                "supervisord ignores it");
    }
}

void build(IniContext& ctx, const std::string& main_file, Config& config) {
    const IniSection* supervisord = ctx.parser.find("supervisord");
    if (!supervisord) {
        ctx.warnings.error(SourcePos{main_file, 0, 0},
                           "no [supervisord] section; supervisord refuses such a file, superv "
                           "uses the defaults");
    }
    read_supervisord(ctx, supervisord, config.daemon);
    Sections sections = read_sections(ctx, config.daemon);

    std::vector<std::string> program_names;
    for (const auto& program : sections.programs)
        program_names.push_back(program.second);
    const auto group_of = group_membership(ctx, sections.groups, program_names);
    std::vector<ProgramSection> programs;
    for (const auto& [section, name] : sections.programs) {
        auto group = group_of.find(name);
        programs.push_back(
            read_program(ctx, *section, name,
                         group == group_of.end() ? name : sections.groups[group->second].name));
    }
    config.groups = assemble_groups(ctx, sections.groups, programs, group_of);
    for (ProgramSection& program : programs) {
        for (ProgramConfig& process : program.processes)
            config.programs.push_back(std::move(process));
    }
    // supervisord derives a program's default serverurl from its first unix
    // server, else its first inet one; expand_processes() takes the first.
    config.daemon.http = std::move(sections.unix_servers);
    config.daemon.http.insert(config.daemon.http.end(), sections.inet_servers.begin(),
                              sections.inet_servers.end());
    check_defaults(ctx);
}

}  // namespace

LoadResult load_ini(std::string_view text, const std::string& source_name, const Identity& identity,
                    const LoadOptions& options) {
    IniParser parser;
    Diagnostics errors(source_name);
    Diagnostics warnings(source_name);
    IniContext ctx(parser, identity, errors, warnings);
    ctx.environ = environment_names(environ);
    ctx.node_name = node_name();
    parser.read(text, source_name, absolute_dir_of(source_name), errors, warnings);

    Config config;
    config.format = ConfigFormat::Supervisord;
    config.path = source_name;
    std::vector<ConfigError> read_errors;
    if (const IniSection* include = parser.find("include")) {
        config.included = read_include(ctx, *include, source_name);
        for (const std::string& path : config.included) {
            auto file_text = read_config_file(path, options.strict_modes, read_errors);
            if (!file_text) continue;
            for (const auto& [name, pos] :
                 parser.read(*file_text, path, absolute_dir_of(path), errors, warnings)) {
                if (name != "include") continue;
                warnings.error(pos,
                               "[include] in an included file has no effect: supervisord "
                               "reads the main file's [include] only");
            }
        }
    }
    build(ctx, source_name, config);

    std::vector<std::string> files{source_name};
    files.insert(files.end(), config.included.begin(), config.included.end());
    std::vector<ConfigError> all = std::move(read_errors);
    for (ConfigError& error : errors.take())
        all.push_back(std::move(error));
    if (!all.empty()) {
        sort_errors_by_file(all, files);
        return LoadResult(std::move(all));
    }
    config.warnings = warnings.take();
    sort_errors_by_file(config.warnings, files);
    // Each process of a program is read alike, so its warnings come once per process.
    config.warnings.erase(std::unique(config.warnings.begin(), config.warnings.end(),
                                      [](const ConfigError& a, const ConfigError& b) {
                                          return a.pos == b.pos && a.message == b.message;
                                      }),
                          config.warnings.end());
    return LoadResult(std::move(config));
}

}  // namespace superv::config::detail::ini

namespace superv::config {

LoadResult load_supervisord(std::string_view text, const std::string& source_name,
                            const LoadOptions& options) {
    return detail::ini::load_ini(text, source_name, detail::Identity::current(), options);
}

}  // namespace superv::config

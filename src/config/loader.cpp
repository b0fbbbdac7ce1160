#include "superv/config/loader.hpp"

#include <algorithm>

#include "include.hpp"
#include "include_read.hpp"
#include "ini/load.hpp"
#include "superv/config/supervisord.hpp"
#include "tables.hpp"

namespace superv::config {
namespace detail {
namespace {

constexpr std::string_view kTopLevel[] = {"superv", "programs", "groups", "include"};

bool before(const SourcePos& a, const SourcePos& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
}

std::filesystem::path base_dir_of(const std::string& source_name) {
    std::error_code error;
    std::filesystem::path path = std::filesystem::absolute(source_name, error);
    return (error ? std::filesystem::path(source_name) : path).parent_path();
}

// toml++ keeps a table's keys sorted by name; the file order of programs
// and groups is recovered from their positions.
template <class T>
void sort_by_position(std::vector<T>& items, const SourcePos& (*pos)(const T&)) {
    std::stable_sort(items.begin(), items.end(),
                     [&](const T& a, const T& b) { return before(pos(a), pos(b)); });
}

// `[programs.NAME]` / `[groups.NAME]`: a table of tables, one per name.
template <class Read>
void read_named_tables(std::string_view kind, const toml::key& key, const toml::node& node,
                       Context& ctx, Read read) {
    const toml::table* tables = node.as_table();
    if (!tables) {
        ctx.diag.error(node.source(), quote(key.str()) + " must be a table of [" +
                                          std::string(key.str()) + ".NAME] tables, not " +
                                          type_phrase(node));
        return;
    }
    for (auto&& [name, entry] : *tables) {
        const toml::table* table = entry.as_table();
        if (!table) {
            ctx.diag.error(entry.source(), "[" + std::string(key.str()) + "." +
                                               std::string(name.str()) + "] must be a table, not " +
                                               type_phrase(entry));
        } else if (check_name(kind, name.str(), name.source(), ctx.diag)) {
            read(name.str(), *table, ctx.diag.at(table->source()));
        }
    }
}

// Only the main file may set [superv] and `include`: an included file
// adds programs and groups, it cannot change the daemon or pull in more.
void read_root(const toml::table& root, FileTables& tables, Context& ctx) {
    for (auto&& [key, node] : root) {
        if (key.str() == "superv" && !tables.main) {
            ctx.diag.error(key.source(),
                           "[superv] is allowed only in the main config file, not in an "
                           "included one");
        } else if (key.str() == "superv") {
            if (const toml::table* table = node.as_table()) {
                read_daemon(*table, tables.daemon, ctx);
            } else {
                ctx.diag.error(node.source(),
                               "\"superv\" must be a table, not " + type_phrase(node));
            }
        } else if (key.str() == "include" && !tables.main) {
            ctx.diag.error(key.source(),
                           "\"include\" is allowed only in the main config file: included "
                           "files cannot include others");
        } else if (key.str() == "include") {
            tables.includes = read_include_key(node, ctx.diag);
        } else if (key.str() == "programs") {
            read_named_tables("program", key, node, ctx, [&](auto name, auto& table, auto pos) {
                tables.programs.push_back(read_program(name, table, pos, ctx));
            });
        } else if (key.str() == "groups") {
            read_named_tables("group", key, node, ctx, [&](auto name, auto& table, auto pos) {
                tables.groups.push_back(read_group(name, table, pos, ctx));
            });
        } else if (node.is_table()) {
            ctx.diag.error(key.source(), "unknown table [" + std::string(key.str()) + "]" +
                                             did_you_mean(key.str(), kTopLevel));
        } else {
            ctx.diag.error(key.source(), "unknown key " + quote(key.str()) + " at top level" +
                                             did_you_mean(key.str(), kTopLevel));
        }
    }
}

// One file's text to its tables, in file order; false when it is not TOML.
bool read_file(std::string_view text, const std::string& source_name, const Identity& identity,
               const LoadOptions& options, FileTables& tables, std::vector<ConfigError>& errors) {
    Context ctx{Diagnostics(source_name), base_dir_of(source_name), identity, options.main_program};
    toml::table root;
    try {
        root = toml::parse(text, std::string_view(source_name));
    } catch (const toml::parse_error& error) {
        errors.push_back(
            ConfigError{ctx.diag.at(error.source()), std::string(error.description())});
        return false;
    }
    read_root(root, tables, ctx);
    sort_by_position<ProgramConfig>(
        tables.programs, [](const ProgramConfig& p) -> const SourcePos& { return p.pos; });
    sort_by_position<GroupDraft>(
        tables.groups, [](const GroupDraft& g) -> const SourcePos& { return g.config.pos; });
    for (ConfigError& error : ctx.diag.take())
        errors.push_back(std::move(error));
    return true;
}

}  // namespace

std::string Context::resolve(const std::string& path) const {
    // Joined, not normalised: "../logs" must mean what the kernel makes of
    // it when the config's directory is a symlink.
    if (path.empty() || path.front() == '/') return path;
    return (base_dir / path).string();
}

LoadResult load_text(std::string_view text, const std::string& source_name,
                     const Identity& identity, const LoadOptions& options) {
    if (looks_like_supervisord(text)) return ini::load_ini(text, source_name, identity, options);
    FileTables tables;
    std::vector<ConfigError> errors;
    if (!read_file(text, source_name, identity, options, tables, errors)) return LoadResult(errors);

    Config config;
    config.path = source_name;
    Diagnostics diag(source_name);
    config.included = expand_includes(tables.includes, source_name, diag);
    bool all_read = true;
    for (const std::string& path : config.included) {
        FileTables included;
        included.main = false;
        auto included_text = read_config_file(path, options.strict_modes, errors);
        if (included_text && read_file(*included_text, path, identity, options, included, errors)) {
            merge_tables(tables, std::move(included), diag);
        } else {
            all_read = false;
        }
    }
    // Without every file's programs, group members would look undefined.
    if (all_read) check_programs_and_groups(tables.programs, tables.groups, diag);
    for (ConfigError& error : diag.take())
        errors.push_back(std::move(error));

    if (!errors.empty()) {
        std::vector<std::string> files{source_name};
        files.insert(files.end(), config.included.begin(), config.included.end());
        sort_errors_by_file(errors, files);
        return LoadResult(std::move(errors));
    }
    config.daemon = std::move(tables.daemon);
    config.programs = std::move(tables.programs);
    for (GroupDraft& group : tables.groups)
        config.groups.push_back(std::move(group.config));
    return LoadResult(std::move(config));
}

LoadResult load_text(std::string_view text, const std::string& source_name,
                     const Identity& identity) {
    return load_text(text, source_name, identity, LoadOptions{});
}

}  // namespace detail

std::string ConfigError::to_string() const {
    return pos.to_string() + ": " + message;
}

LoadResult load_string(std::string_view text, const std::string& source_name,
                       const LoadOptions& options) {
    return detail::load_text(text, source_name, detail::Identity::current(), options);
}

LoadResult load_string(std::string_view text, const std::string& source_name) {
    return load_string(text, source_name, LoadOptions::defaults());
}

LoadResult load_file(const std::string& path, const LoadOptions& options) {
    std::vector<ConfigError> errors;
    auto text = detail::read_config_file(path, options.strict_modes, errors);
    if (!text) return LoadResult(std::move(errors));
    return load_string(*text, path, options);
}

LoadResult load_file(const std::string& path) {
    return load_file(path, LoadOptions::defaults());
}

}  // namespace superv::config

#include "superv/config/loader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "tables.hpp"

namespace superv::config {
namespace detail {
namespace {

constexpr std::string_view kTopLevel[] = {"superv", "programs", "groups"};

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

void read_root(const toml::table& root, Config& config, std::vector<GroupDraft>& groups,
               Context& ctx) {
    for (auto&& [key, node] : root) {
        if (key.str() == "superv") {
            if (const toml::table* table = node.as_table()) {
                read_daemon(*table, config.daemon, ctx);
            } else {
                ctx.diag.error(node.source(),
                               "\"superv\" must be a table, not " + type_phrase(node));
            }
        } else if (key.str() == "programs") {
            read_named_tables("program", key, node, ctx, [&](auto name, auto& table, auto pos) {
                config.programs.push_back(read_program(name, table, pos, ctx));
            });
        } else if (key.str() == "groups") {
            read_named_tables("group", key, node, ctx, [&](auto name, auto& table, auto pos) {
                groups.push_back(read_group(name, table, pos, ctx));
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

}  // namespace

std::string Context::resolve(const std::string& path) const {
    // Joined, not normalised: "../logs" must mean what the kernel makes of
    // it when the config's directory is a symlink.
    if (path.empty() || path.front() == '/') return path;
    return (base_dir / path).string();
}

LoadResult load_text(std::string_view text, const std::string& source_name,
                     const Identity& identity) {
    Context ctx{Diagnostics(source_name), base_dir_of(source_name), identity};
    toml::table root;
    try {
        root = toml::parse(text, std::string_view(source_name));
    } catch (const toml::parse_error& error) {
        return LoadResult(std::vector<ConfigError>{
            ConfigError{ctx.diag.at(error.source()), std::string(error.description())}});
    }

    Config config;
    config.path = source_name;
    std::vector<GroupDraft> groups;
    read_root(root, config, groups, ctx);
    sort_by_position<ProgramConfig>(
        config.programs, [](const ProgramConfig& p) -> const SourcePos& { return p.pos; });
    sort_by_position<GroupDraft>(
        groups, [](const GroupDraft& g) -> const SourcePos& { return g.config.pos; });
    check_programs_and_groups(config.programs, groups, ctx.diag);

    if (ctx.diag.failed()) return LoadResult(ctx.diag.take());
    for (GroupDraft& group : groups)
        config.groups.push_back(std::move(group.config));
    return LoadResult(std::move(config));
}

}  // namespace detail

std::string ConfigError::to_string() const {
    // A file that cannot be read has no line to point at.
    if (pos.line == 0) return pos.file + ": " + message;
    return pos.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": " +
           message;
}

LoadResult load_string(std::string_view text, const std::string& source_name) {
    return detail::load_text(text, source_name, detail::Identity::current());
}

LoadResult load_file(const std::string& path) {
    auto failure = [&](int error) {
        return LoadResult(std::vector<ConfigError>{ConfigError{
            SourcePos{path, 0, 0}, "cannot read config: " + std::string(std::strerror(error))}});
    };
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return failure(errno);
    std::string text;
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int error = errno;  // EISDIR for a directory
            ::close(fd);
            return failure(error);
        }
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return load_string(text, path);
}

}  // namespace superv::config

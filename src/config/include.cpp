#include "include.hpp"

#include <glob.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace superv::config::detail {
namespace {

// glob(3) calls back without a context argument; one glob runs at a time
// per thread.
thread_local std::string glob_failure;

int on_glob_error(const char* path, int error) {
    // A directory that does not exist simply matches nothing.
    if (error == ENOENT || error == ENOTDIR) return 0;
    if (glob_failure.empty()) glob_failure = std::string(path) + ": " + std::strerror(error);
    return 0;
}

// The main file's directory must match itself, even with '*' or '[' in it.
std::string full_pattern(const std::string& pattern, const std::string& main_file) {
    if (pattern.front() == '/') return pattern;
    std::string dir = std::filesystem::path(main_file).parent_path().string();
    if (dir.empty()) return pattern;
    return escape_glob(dir) + "/" + pattern;
}

// Appends every item of `from` whose name `into` does not define yet.
template <class T, class Key>
void merge_named(std::vector<T>& into, std::vector<T>&& from, const char* kind, Key key,
                 Diagnostics& diag) {
    const std::size_t existing = into.size();
    for (T& item : from) {
        auto [name, pos] = key(item);
        auto end = into.begin() + static_cast<std::ptrdiff_t>(existing);
        auto first = std::find_if(into.begin(), end,
                                  [&](const T& other) { return key(other).first == name; });
        if (first == end) {
            into.push_back(std::move(item));
            continue;
        }
        diag.error(pos, std::string(kind) + " " + quote(name) + " is already defined at " +
                            key(*first).second.to_string());
    }
}

}  // namespace

std::vector<IncludePattern> read_include_key(const toml::node& node, Diagnostics& diag) {
    std::vector<IncludePattern> patterns;
    const toml::array* array = node.as_array();
    if (!array) {
        diag.error(node.source(),
                   "\"include\" must be an array of glob patterns such as [\"conf.d/*.toml\"], "
                   "not " +
                       type_phrase(node));
        return patterns;
    }
    for (const toml::node& entry : *array) {
        auto pattern = entry.value_exact<std::string>();
        if (!pattern) {
            diag.error(entry.source(), "every entry of \"include\" must be a glob pattern, not " +
                                           type_phrase(entry));
        } else if (pattern->empty()) {
            diag.error(entry.source(), "an \"include\" pattern must not be empty");
        } else {
            patterns.push_back(IncludePattern{*pattern, diag.at(entry.source())});
        }
    }
    return patterns;
}

std::vector<std::string> expand_includes(const std::vector<IncludePattern>& patterns,
                                         const std::string& main_file, Diagnostics& diag) {
    std::vector<std::string> files;
    for (const IncludePattern& include : patterns) {
        std::string failure;
        for (std::string& path : glob_files(full_pattern(include.pattern, main_file), failure)) {
            std::error_code error;
            if (std::filesystem::equivalent(path, main_file, error)) {
                diag.error(include.pos, "include " + quote(include.pattern) +
                                            " matches the main config file " + main_file +
                                            " itself");
            } else if (std::find(files.begin(), files.end(), path) == files.end()) {
                files.push_back(std::move(path));
            }
        }
        if (!failure.empty())
            diag.error(include.pos, "include " + quote(include.pattern) + ": " + failure);
    }
    return files;
}

std::vector<std::string> glob_files(const std::string& pattern, std::string& failure) {
    glob_t matches{};
    glob_failure.clear();
    const int rc = ::glob(pattern.c_str(), 0, on_glob_error, &matches);
    std::vector<std::string> files;
    if (rc == GLOB_NOSPACE) {
        failure = "out of memory";
    } else if (!glob_failure.empty()) {
        failure = "cannot read " + glob_failure;
    }
    for (std::size_t i = 0; rc == 0 && failure.empty() && i < matches.gl_pathc; ++i)
        files.emplace_back(matches.gl_pathv[i]);
    ::globfree(&matches);
    return files;
}

std::string escape_glob(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '*' || c == '?' || c == '[' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

void merge_tables(FileTables& into, FileTables&& from, Diagnostics& diag) {
    merge_named(
        into.programs, std::move(from.programs), "program",
        [](const ProgramConfig& p) {
            return std::pair{p.name, p.pos};
        },
        diag);
    merge_named(
        into.groups, std::move(from.groups), "group",
        [](const GroupDraft& g) {
            return std::pair{g.config.name, g.config.pos};
        },
        diag);
}

void sort_errors_by_file(std::vector<ConfigError>& errors, const std::vector<std::string>& files) {
    auto rank = [&](const ConfigError& e) {
        return std::find(files.begin(), files.end(), e.pos.file) - files.begin();
    };
    std::stable_sort(errors.begin(), errors.end(), [&](const ConfigError& a, const ConfigError& b) {
        if (rank(a) != rank(b)) return rank(a) < rank(b);
        if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
        return a.pos.column < b.pos.column;
    });
}

}  // namespace superv::config::detail

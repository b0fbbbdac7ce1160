// [include] files: as supervisord 4.2.5 reads it, only the main file's
// [include] counts (an included file's [include] is never looked at), its
// patterns are separated by whitespace and relative to the main file's
// directory, and each pattern's matches are read in sorted order.
#include <algorithm>
#include <filesystem>

#include "../include.hpp"
#include "py_values.hpp"
#include "sections.hpp"

namespace superv::config::detail::ini {
namespace {

constexpr std::string_view kIncludeOptions[] = {"files"};

std::vector<std::string> split_whitespace(std::string_view text) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_py_space(text[i]))
            ++i;
        std::size_t begin = i;
        while (i < text.size() && !is_py_space(text[i]))
            ++i;
        if (i > begin) words.emplace_back(text.substr(begin, i - begin));
    }
    return words;
}

}  // namespace

std::string absolute_dir_of(const std::string& file) {
    std::error_code error;
    std::string absolute = std::filesystem::absolute(file, error).string();
    std::string normal = normalize_path(error ? file : absolute);
    const std::size_t slash = normal.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : normal.substr(0, slash);
}

std::vector<std::string> read_include(IniContext& ctx, const IniSection& section,
                                      const std::string& main_file) {
    SectionReader r(ctx, section);
    const NameTable host{{"host_node_name", ctx.node_name}};
    Names names = ctx.environ_names();
    names.add(host);
    const IniOption* files = r.option("files");
    r.warn_unknown(kIncludeOptions);
    if (!files) {
        ctx.errors.error(section.pos, "[include] has no \"files\"");
        return {};
    }
    auto text = r.expanded(*files, names);
    if (!text) return {};

    const std::string base = absolute_dir_of(main_file);
    std::vector<std::string> included;
    for (const std::string& pattern : split_whitespace(*text)) {
        const std::string full =
            pattern.front() == '/' ? pattern : escape_glob(base) + "/" + pattern;
        std::string failure;
        std::vector<std::string> matches = glob_files(full, failure);
        if (!failure.empty()) {
            r.error(*files, "[include] files " + quote(pattern) + ": " + failure);
            continue;
        }
        if (matches.empty()) {
            r.warn(*files, "[include] files " + quote(pattern) + " matches no file");
        }
        for (std::string& path : matches) {
            std::error_code error;
            if (std::filesystem::equivalent(path, main_file, error)) {
                r.warn(*files, "[include] files " + quote(pattern) +
                                   " matches the main config file " + path + "; not read again");
            } else if (std::find(included.begin(), included.end(), path) == included.end()) {
                included.push_back(std::move(path));
            }
        }
    }
    return included;
}

}  // namespace superv::config::detail::ini

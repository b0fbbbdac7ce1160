// The top-level `include` key: glob patterns to the files whose programs and
// groups join the main file's. Private to src/config; the semantics are
// described in superv/config/loader.hpp.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "tables.hpp"

namespace superv::config::detail {

struct IncludePattern {
    std::string pattern;
    SourcePos pos;  // of the pattern's string, for errors about it
};

// What one file defines, before the checks that span files.
struct FileTables {
    bool main = true;  // the main config file: the only one with [superv] and `include`
    DaemonConfig daemon;
    std::vector<IncludePattern> includes;
    std::vector<ProgramConfig> programs;  // in file order
    std::vector<GroupDraft> groups;       // in file order
};

// The main file's `include`: an array of non-empty glob patterns.
std::vector<IncludePattern> read_include_key(const toml::node& node, Diagnostics& diag);

// The files the patterns match, in pattern order, each pattern's matches
// sorted, each file once. A relative pattern is taken below the directory of
// `main_file` as written, so included files are named the way the main one
// is. Matching the main file itself is an error.
std::vector<std::string> expand_includes(const std::vector<IncludePattern>& patterns,
                                         const std::string& main_file, Diagnostics& diag);

// What glob(3) matches for `pattern`, sorted; a directory that does not
// exist matches nothing. When another directory cannot be read, or memory
// runs out, nothing and `failure` says why ("/x: Permission denied").
std::vector<std::string> glob_files(const std::string& pattern, std::string& failure);

// `text` with glob's special characters escaped, so that it matches itself.
std::string escape_glob(const std::string& text);

// Appends `from`'s programs and groups to `into`; one whose name `into`
// already defines is an error naming both places and is left out.
void merge_tables(FileTables& into, FileTables&& from, Diagnostics& diag);

// Orders errors by file, in the order of `files` (the main file, then the
// included ones), then by line and column.
void sort_errors_by_file(std::vector<ConfigError>& errors, const std::vector<std::string>& files);

}  // namespace superv::config::detail

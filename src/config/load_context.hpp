// What the table readers share while one config is loaded. Private to
// src/config; the tests include it to load as a different user.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "diagnostics.hpp"
#include "privileges.hpp"
#include "superv/config/loader.hpp"

namespace superv::config::detail {

// Who superv runs as; decides whether `user`/`group` can be switched to.
struct Identity {
    uid_t uid = 0;
    gid_t gid = 0;
    Privileges privileges{};  // decides `capabilities` and `rlimits`
    static Identity current();
};

struct Context {
    Diagnostics diag;
    std::filesystem::path base_dir;  // the config file's directory, absolute
    Identity identity;
    const ProgramConfig* main_program = nullptr;  // LoadOptions::main_program

    // `path` itself when absolute, else `path` below base_dir.
    std::string resolve(const std::string& path) const;
};

// load_string() with the identity given rather than the process's own.
LoadResult load_text(std::string_view text, const std::string& source_name,
                     const Identity& identity, const LoadOptions& options);
LoadResult load_text(std::string_view text, const std::string& source_name,
                     const Identity& identity);  // LoadOptions{}: no StrictModes

}  // namespace superv::config::detail

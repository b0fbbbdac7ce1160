// Loading configs from test text, as root unless a test says otherwise.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "load_context.hpp"
#include "superv/config/loader.hpp"

namespace superv::config::test_support {

inline constexpr const char* kFile = "/etc/superv/superv.toml";

inline detail::Identity root() {
    return detail::Identity{0, 0};
}

// [programs.NAME] with a command (/bin/NAME) and `extra` lines: 2 + the
// lines of `extra`.
inline std::string program(const std::string& name, const std::string& extra = "") {
    return "[programs." + name + "]\ncommand = \"/bin/" + name + "\"\n" + extra;
}

// The head of one program's table, for the keys a test appends.
inline const std::string kWebHead = "[programs.web]\ncommand = \"/bin/web\"\n";

// Every error as "FILE:LINE:COL: message"; empty when the config loaded.
inline std::vector<std::string> errors_of(const std::string& text, detail::Identity who = root()) {
    LoadResult result = detail::load_text(text, kFile, who);
    std::vector<std::string> out;
    if (result.ok()) return out;
    for (const ConfigError& error : result.errors())
        out.push_back(error.to_string());
    return out;
}

// The config, or a test failure listing the errors.
inline Config load_ok(const std::string& text, detail::Identity who = root()) {
    LoadResult result = detail::load_text(text, kFile, who);
    if (!result.ok()) {
        std::string all;
        for (const ConfigError& error : result.errors())
            all += error.to_string() + "\n";
        ADD_FAILURE() << "config did not load:\n" << all;
        return Config{};
    }
    return std::move(result.config());
}

// One program's config from the body of its table.
inline ProgramConfig program_from(const std::string& body) {
    Config config = load_ok("[programs.p]\ncommand = [\"/bin/true\"]\n" + body);
    if (config.programs.size() != 1) {
        ADD_FAILURE() << "expected one program";
        return ProgramConfig{};
    }
    return config.programs[0];
}

}  // namespace superv::config::test_support

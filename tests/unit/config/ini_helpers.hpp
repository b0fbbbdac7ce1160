// Loading supervisord.conf text in tests, as root unless a test says
// otherwise. The file is /etc/supervisord.conf, so %(here)s is /etc and
// relative paths land in a directory that exists.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "load_context.hpp"
#include "load_helpers.hpp"
#include "superv/config/loader.hpp"

namespace superv::config::test_support {

inline constexpr const char* kIniFile = "/etc/supervisord.conf";

inline LoadResult load_ini_text(const std::string& text, detail::Identity who = root()) {
    return detail::load_text(text, kIniFile, who);
}

inline std::vector<std::string> strings_of(const std::vector<ConfigError>& problems) {
    std::vector<std::string> out;
    for (const ConfigError& problem : problems)
        out.push_back(problem.to_string());
    return out;
}

// Every error; empty when the config loaded.
inline std::vector<std::string> ini_errors(const std::string& text, detail::Identity who = root()) {
    LoadResult result = load_ini_text(text, who);
    if (result.ok()) return {};
    return strings_of(result.errors());
}

// The config, or a test failure listing the errors.
inline Config ini_ok(const std::string& text, detail::Identity who = root()) {
    LoadResult result = load_ini_text(text, who);
    if (!result.ok()) {
        std::string all;
        for (const std::string& error : strings_of(result.errors()))
            all += error + "\n";
        ADD_FAILURE() << "config did not load:\n" << all;
        return Config{};
    }
    return std::move(result.config());
}

// The warnings of a config that loads.
inline std::vector<std::string> ini_warnings(const std::string& text) {
    return strings_of(ini_ok(text).warnings);
}

// The one process of "[program:p]\ncommand = /bin/true\n" + body.
inline ProgramConfig ini_program(const std::string& body) {
    Config config = ini_ok("[supervisord]\n[program:p]\ncommand = /bin/true\n" + body);
    if (config.programs.size() != 1) {
        ADD_FAILURE() << "expected one process, got " << config.programs.size();
        return ProgramConfig{};
    }
    return config.programs[0];
}

}  // namespace superv::config::test_support

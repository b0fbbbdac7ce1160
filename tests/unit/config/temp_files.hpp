// A temporary directory of config files for the include and StrictModes
// tests, removed with everything in it when the test ends.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "superv/config/loader.hpp"

namespace superv::config::test_support {

class TempFiles {
  public:
    TempFiles() {
        std::string pattern = (std::filesystem::temp_directory_path() / "superv-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
        dir_ = pattern;
        std::filesystem::permissions(dir_, std::filesystem::perms(0755));
    }
    ~TempFiles() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    TempFiles(const TempFiles&) = delete;
    TempFiles& operator=(const TempFiles&) = delete;

    // Writes `text` to `relative` (creating its directories) with `mode`;
    // returns the full path.
    std::string write(const std::string& relative, const std::string& text, mode_t mode = 0644) {
        std::filesystem::path path = dir_ / relative;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path) << text;
        ::chmod(path.c_str(), mode);
        return path.string();
    }

    std::string path(const std::string& relative = "") const { return (dir_ / relative).string(); }

  private:
    std::filesystem::path dir_;
};

// Every error as "FILE:LINE:COL: message" (or "FILE: message"); empty when
// the config loaded.
inline std::vector<std::string> file_errors(const std::string& path, bool strict_modes) {
    LoadResult result = load_file(path, LoadOptions{strict_modes});
    std::vector<std::string> out;
    if (result.ok()) return out;
    for (const ConfigError& error : result.errors())
        out.push_back(error.to_string());
    return out;
}

// The config loaded from `path`, or a test failure listing the errors.
inline Config load_file_ok(const std::string& path) {
    LoadResult result = load_file(path, LoadOptions{false});
    if (result.ok()) return std::move(result.config());
    std::string all;
    for (const ConfigError& error : result.errors())
        all += error.to_string() + "\n";
    ADD_FAILURE() << "config did not load:\n" << all;
    return Config{};
}

// The programs' names, in the config's order.
inline std::vector<std::string> names(const Config& config) {
    std::vector<std::string> out;
    for (const ProgramConfig& p : config.programs)
        out.push_back(p.name);
    return out;
}

}  // namespace superv::config::test_support

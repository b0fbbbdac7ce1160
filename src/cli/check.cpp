#include <cstdio>
#include <cstdlib>

#include "superv/cli/cli.hpp"
#include "superv/cli/commands.hpp"
#include "superv/config/loader.hpp"
#include "superv/config/processes.hpp"
#include "superv/config/toml_writer.hpp"

namespace superv::cli {

std::string config_path(const std::string& from_option) {
    if (!from_option.empty()) return from_option;
    if (const char* env = std::getenv("SUPERV_CONFIG"); env != nullptr && *env != '\0') return env;
    return kDefaultConfig;
}

int check(const std::string& path) {
    auto loaded = config::load_file(path);
    if (!loaded.ok()) {
        for (const auto& e : loaded.errors())
            std::fprintf(stderr, "%s\n", e.to_string().c_str());
        return kExitUsage;
    }
    const auto processes = config::expand_processes(loaded.config());
    std::printf("%s: ok (%zu programs, %zu processes)\n", path.c_str(),
                loaded.config().programs.size(), processes.size());
    return kExitOk;
}

int import_config(const std::string& path) {
    auto loaded = config::load_file(path);
    if (!loaded.ok()) {
        for (const auto& e : loaded.errors())
            std::fprintf(stderr, "%s\n", e.to_string().c_str());
        return kExitUsage;
    }
    const std::string text = config::to_toml(loaded.config());
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
}

int version() {
    std::printf("superv %s\n", SUPERV_VERSION);
    return kExitOk;
}

}  // namespace superv::cli

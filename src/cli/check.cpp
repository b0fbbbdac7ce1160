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
    const config::Config& config = loaded.config();
    // Warnings (what superv reads but cannot honour) do not make a config invalid.
    for (const auto& w : config.warnings)
        std::fprintf(stderr, "%s: warning: %s\n", w.pos.to_string().c_str(), w.message.c_str());
    const auto processes = config::expand_processes(config);
    std::printf("%s: ok (%zu programs, %zu processes%s)\n", path.c_str(), config.programs.size(),
                processes.size(),
                config.format == config::ConfigFormat::Supervisord ? ", supervisord format" : "");
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

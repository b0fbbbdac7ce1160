#include "superv/log/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace superv::log {

void setup(std::string_view level) {
    // Unbuffered-per-line stderr: an operator tailing the container's log, or
    // a test waiting for a line, sees each event as it happens.
    auto logger = spdlog::stderr_logger_mt("superv");
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
    set_level(level);
}

bool set_level(std::string_view level) {
    static constexpr std::pair<std::string_view, spdlog::level::level_enum> kLevels[] = {
        {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
        {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
        {"error", spdlog::level::err},
    };
    for (const auto& [name, value] : kLevels) {
        if (name == level) {
            spdlog::set_level(value);
            return true;
        }
    }
    return false;
}

}  // namespace superv::log

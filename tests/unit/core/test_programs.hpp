// The program both supervisor test fixtures start from.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "superv/config/config.hpp"

namespace superv::core::test {

// Captures nothing, starts at once (startsecs 0), is never restarted and
// gets 2 s to stop.
inline config::ProgramConfig quiet_program(std::string name, std::vector<std::string> command) {
    using namespace std::chrono_literals;
    config::ProgramConfig p;
    p.name = std::move(name);
    p.command = std::move(command);
    p.startsecs = 0ms;
    p.startretries = 0;
    p.autorestart = config::AutoRestart::Never;
    p.stopwaitsecs = 2000ms;
    p.stdout_log.target = config::LogTarget{config::LogTarget::Kind::None, {}};
    p.stderr_log.target = config::LogTarget{config::LogTarget::Kind::None, {}};
    return p;
}

}  // namespace superv::core::test

// "5 s", "1500 ms": a timeout as the config gave it, for messages.
#pragma once

#include <chrono>
#include <string>

namespace superv::core {

inline std::string timeout_text(std::chrono::milliseconds timeout) {
    if (timeout.count() % 1000 == 0) return std::to_string(timeout.count() / 1000) + " s";
    return std::to_string(timeout.count()) + " ms";
}

}  // namespace superv::core

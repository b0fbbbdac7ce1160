#include "superv/core/state.hpp"

#include <array>

namespace superv::core {

namespace {
constexpr std::array<std::string_view, 8> kNames = {
    "STOPPED", "STARTING", "RUNNING", "BACKOFF", "STOPPING", "EXITED", "FATAL", "UNKNOWN",
};
}  // namespace

std::string_view state_name(State state) {
    return kNames.at(static_cast<std::size_t>(state));
}

std::optional<State> parse_state(std::string_view name) {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name) return static_cast<State>(i);
    }
    return std::nullopt;
}

}  // namespace superv::core

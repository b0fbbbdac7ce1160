// Process states, with supervisord's names and meanings.
#pragma once

#include <optional>
#include <string_view>

namespace superv::core {

enum class State { Stopped, Starting, Running, Backoff, Stopping, Exited, Fatal, Unknown };

// "STOPPED", "STARTING", ...
std::string_view state_name(State state);
std::optional<State> parse_state(std::string_view name);

// A process that will not change state on its own: nothing is pending for it.
inline bool is_settled(State s) {
    return s == State::Stopped || s == State::Running || s == State::Exited || s == State::Fatal;
}

}  // namespace superv::core

// Signal names as users write them: "TERM", "SIGTERM", "term" or "15".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace superv {

// nullopt for an unknown name or an out-of-range number.
std::optional<int> parse_signal(std::string_view text);

// "TERM" for SIGTERM; the number as text for signals without a name.
std::string signal_name(int sig);

}  // namespace superv

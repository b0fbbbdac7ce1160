// The values of `superv daemon`'s `-- CMD` flags, parsed without side effects.
#pragma once

#include <optional>
#include <string_view>
#include <utility>

namespace superv::cli {

// --remap-exit N=M: exit codes 0..255; nullopt when malformed.
std::optional<std::pair<int, int>> parse_exit_remap(std::string_view text);

// --rewrite-signal S=R: signal names or numbers 1..31 (R may be 0: not
// forwarded); nullopt when malformed.
std::optional<std::pair<int, int>> parse_signal_rewrite(std::string_view text);

}  // namespace superv::cli

#include "superv/cli/daemon_flags.hpp"

#include <charconv>

#include "superv/common/signal_names.hpp"

namespace superv::cli {

namespace {
std::optional<int> number(std::string_view text, int max) {
    int value = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > max) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::pair<std::string_view, std::string_view>> split(std::string_view text) {
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

std::optional<int> standard_signal(std::string_view text) {
    auto sig = parse_signal(text);
    if (!sig || *sig < 1 || *sig > 31) return std::nullopt;
    return sig;
}
}  // namespace

std::optional<std::pair<int, int>> parse_exit_remap(std::string_view text) {
    auto parts = split(text);
    if (!parts) return std::nullopt;
    auto from = number(parts->first, 255);
    auto to = number(parts->second, 255);
    if (!from || !to) return std::nullopt;
    return std::pair{*from, *to};
}

std::optional<std::pair<int, int>> parse_signal_rewrite(std::string_view text) {
    auto parts = split(text);
    if (!parts) return std::nullopt;
    auto from = standard_signal(parts->first);
    auto to = parts->second == "0" ? std::optional<int>(0) : standard_signal(parts->second);
    if (!from || !to) return std::nullopt;
    return std::pair{*from, *to};
}

}  // namespace superv::cli

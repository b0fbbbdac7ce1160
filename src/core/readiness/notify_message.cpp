#include "superv/core/readiness/notify_message.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <string_view>

#include "superv/common/utf8.hpp"

namespace superv::core::readiness {
namespace {

bool is_key(std::string_view key) {
    if (key.empty()) return false;
    for (const char c : key) {
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

// STATUS text as `status` shows it: control characters (a terminal escape,
// a tab; C1 ones too, as U+009B is an escape of its own) become spaces, and
// it is cut at kMaxNotifyStatus bytes on a character boundary. nullopt for
// invalid UTF-8, which JSON cannot carry (checked past the cut as well).
std::optional<std::string> status_text(std::string_view value) {
    std::string text;
    text.reserve(std::min(value.size(), kMaxNotifyStatus));
    bool cut = false;
    while (!value.empty()) {
        const Utf8Sequence sequence = decode_utf8(value, 0);
        if (!sequence.valid) return std::nullopt;
        cut = cut || text.size() + sequence.length > kMaxNotifyStatus;
        if (!cut) {
            const char32_t c = sequence.code_point;
            const bool control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
            text.append(control ? std::string_view(" ") : value.substr(0, sequence.length));
        }
        value.remove_prefix(sequence.length);
    }
    return text;
}

std::optional<pid_t> pid_value(std::string_view value) {
    long long pid = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), pid);
    if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    if (pid < 1 || pid > INT_MAX) return std::nullopt;
    return static_cast<pid_t>(pid);
}

// Applies one KEY=VALUE line; false for garbage.
bool apply_line(std::string_view line, NotifyMessage& message) {
    const std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) return false;
    const std::string_view key = line.substr(0, equals);
    const std::string_view value = line.substr(equals + 1);
    if (!is_key(key)) return false;
    if (key == "READY") {
        if (value == "1") message.ready = true;
    } else if (key == "STOPPING") {
        if (value == "1") message.stopping = true;
    } else if (key == "STATUS") {
        message.status = status_text(value);
        if (!message.status) return false;
    } else if (key == "MAINPID") {
        message.main_pid = pid_value(value);
        if (!message.main_pid) return false;
    }
    return true;
}

}  // namespace

std::optional<NotifyMessage> parse_notify_message(std::span<const std::byte> datagram) {
    if (datagram.empty() || datagram.size() > kMaxNotifyMessage) return std::nullopt;
    std::string_view rest(reinterpret_cast<const char*>(datagram.data()), datagram.size());
    if (rest.find('\0') != std::string_view::npos) return std::nullopt;
    NotifyMessage message;
    while (!rest.empty()) {
        const std::size_t newline = rest.find('\n');
        const std::string_view line = rest.substr(0, newline);
        if (!line.empty() && !apply_line(line, message)) return std::nullopt;
        if (newline == std::string_view::npos) break;
        rest.remove_prefix(newline + 1);
    }
    return message;
}

}  // namespace superv::core::readiness

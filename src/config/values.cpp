// Scalar values: booleans, strings, integers, paths, durations, sizes,
// signals and file modes.
#include "values.hpp"

#include <climits>
#include <cmath>
#include <csignal>
#include <cstdio>

#include "superv/common/round.hpp"
#include "superv/common/signal_names.hpp"

namespace superv::config::detail {
namespace {

// Long enough for any real timeout, short enough that milliseconds never
// overflow when the loop adds it to a clock reading.
constexpr double kMaxSeconds = 1e9;

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
    if (suffix.size() > text.size()) return false;
    text = text.substr(text.size() - suffix.size());
    for (std::size_t i = 0; i < suffix.size(); ++i) {
        if (lower(text[i]) != suffix[i]) return false;
    }
    return true;
}

std::optional<std::uint64_t> parse_digits(std::string_view text, unsigned base) {
    if (text.empty()) return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        unsigned digit = static_cast<unsigned>(c - '0');
        if (c < '0' || c > '9' || digit >= base) return std::nullopt;
        if (value > (UINT64_MAX - digit) / base) return std::nullopt;
        value = value * base + digit;
    }
    return value;
}

// "50MB" -> 52428800. Units are powers of 1024, as in supervisord.
std::optional<std::uint64_t> parse_size(std::string_view text) {
    struct Unit {
        std::string_view suffix;
        std::uint64_t factor;
    };
    static constexpr Unit kUnits[] = {
        {"kb", 1ull << 10}, {"mb", 1ull << 20}, {"gb", 1ull << 30}, {"b", 1}};
    std::uint64_t factor = 1;
    for (const Unit& unit : kUnits) {
        if (ends_with_ignoring_case(text, unit.suffix)) {
            text.remove_suffix(unit.suffix.size());
            factor = unit.factor;
            break;
        }
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    auto number = parse_digits(text, 10);
    if (!number || *number > UINT64_MAX / factor) return std::nullopt;
    return *number * factor;
}

std::string octal(std::int64_t value) {
    char text[32];
    std::snprintf(text, sizeof text, "0%llo", static_cast<unsigned long long>(value));
    return text;
}

}  // namespace

void Field::wrong_type(std::string_view expected) const {
    error(quote(key) + " must be " + std::string(expected) + ", not " + type_phrase(node));
}

bool check_no_nul(const Field& field, const toml::node& where, std::string_view text) {
    if (text.find('\0') == std::string_view::npos) return true;
    field.ctx.diag.error(where.source(), quote(field.key) + " must not contain a NUL character");
    return false;
}

std::optional<int> parse_port(std::string_view text) {
    if (text.empty() || text.size() > 5) return std::nullopt;
    int port = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return std::nullopt;
    return port;
}

std::optional<bool> read_bool(const Field& field) {
    if (auto value = field.node.value<bool>()) return value;
    field.wrong_type("true or false");
    return std::nullopt;
}

std::optional<std::string> read_string(const Field& field) {
    if (!field.node.is_string()) {
        field.wrong_type("a string");
        return std::nullopt;
    }
    std::string value = *field.node.value<std::string>();
    if (value.empty()) {
        field.error(quote(field.key) + " must not be empty");
        return std::nullopt;
    }
    if (!check_no_nul(field, field.node, value)) return std::nullopt;
    return value;
}

std::optional<int> read_int(const Field& field, std::int64_t min, std::int64_t max) {
    if (!field.node.is_integer()) {
        field.wrong_type("an integer");
        return std::nullopt;
    }
    std::int64_t value = *field.node.value<std::int64_t>();
    if (value < min || value > max) {
        field.error(quote(field.key) +
                    (max == INT_MAX ? " must be at least " + std::to_string(min)
                                    : " must be between " + std::to_string(min) + " and " +
                                          std::to_string(max)) +
                    ", not " + std::to_string(value));
        return std::nullopt;
    }
    return static_cast<int>(value);
}

std::optional<std::string> read_path(const Field& field) {
    auto path = read_string(field);
    if (!path) return std::nullopt;
    return field.ctx.resolve(*path);
}

std::optional<Millis> read_duration(const Field& field) {
    if (!field.node.is_number()) {
        field.wrong_type("a number of seconds");
        return std::nullopt;
    }
    double seconds = *field.node.value<double>();
    if (std::isnan(seconds)) {
        field.error(quote(field.key) + " must be a number of seconds, not nan");
        return std::nullopt;
    }
    if (seconds < 0) {
        field.error(quote(field.key) + " must not be negative");
        return std::nullopt;
    }
    if (seconds > kMaxSeconds) {
        field.error(quote(field.key) + " must be at most 1000000000 seconds");
        return std::nullopt;
    }
    return Millis{seconds_to_millis(seconds)};
}

std::optional<std::uint64_t> read_size(const Field& field) {
    if (auto bytes = field.node.value_exact<std::int64_t>()) {
        if (*bytes >= 0) return static_cast<std::uint64_t>(*bytes);
        field.error(quote(field.key) + " must not be negative");
        return std::nullopt;
    }
    if (auto text = field.node.value_exact<std::string>()) {
        if (auto bytes = parse_size(*text)) return bytes;
        field.error(quote(field.key) + " must be a size like 1048576, \"50MB\" or \"1GB\", not " +
                    quote(*text));
        return std::nullopt;
    }
    field.wrong_type("a size like 1048576 or \"50MB\"");
    return std::nullopt;
}

std::optional<int> read_signal(const Field& field) {
    if (auto number = field.node.value_exact<std::int64_t>()) {
        if (*number >= 1 && *number < NSIG) return static_cast<int>(*number);
        field.error(quote(field.key) + " must be a signal number between 1 and " +
                    std::to_string(NSIG - 1) + ", not " + std::to_string(*number));
        return std::nullopt;
    }
    if (auto name = field.node.value_exact<std::string>()) {
        if (auto sig = parse_signal(*name)) return sig;
        field.error("unknown signal " + quote(*name) + " for " + quote(field.key));
        return std::nullopt;
    }
    field.wrong_type("a signal name like \"TERM\" or a number");
    return std::nullopt;
}

std::optional<mode_t> read_mode(const Field& field, mode_t max) {
    std::optional<std::uint64_t> mode;
    if (const auto* integer = field.node.as_integer()) {
        // A decimal 22 is almost certainly a mistyped octal 022; reading it
        // as decimal would give mode 026 without a word.
        bool written_octal =
            (integer->flags() & toml::value_flags::format_as_octal) != toml::value_flags::none;
        if (!written_octal && integer->get() != 0) {
            field.error(quote(field.key) + " must be an octal string like \"022\" or 0o22; " +
                        std::to_string(integer->get()) + " is decimal");
            return std::nullopt;
        }
        mode = static_cast<std::uint64_t>(integer->get());
    } else if (auto text = field.node.value_exact<std::string>()) {
        std::string_view digits = *text;
        if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'O')) {
            digits.remove_prefix(2);
        }
        mode = digits.size() <= 6 ? parse_digits(digits, 8) : std::nullopt;
        if (!mode) {
            field.error(quote(field.key) + " must be an octal mode like \"022\", not " +
                        quote(*text));
            return std::nullopt;
        }
    } else {
        field.wrong_type("an octal string like \"022\"");
        return std::nullopt;
    }
    if (*mode > max) {
        field.error(quote(field.key) + " must be at most " + octal(max) + ", not " +
                    octal(static_cast<std::int64_t>(*mode)));
        return std::nullopt;
    }
    return static_cast<mode_t>(*mode);
}

}  // namespace superv::config::detail

#include "py_values.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <initializer_list>
#include <vector>

#include "superv/common/signal_names.hpp"

namespace superv::config::detail::ini {
namespace {

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Digits of `base` with single underscores between them, as Python's int()
// reads them after the sign and prefix.
std::optional<long long> digits_of(std::string_view text, int base, bool negative) {
    if (text.empty() || text.front() == '_' || text.back() == '_') return std::nullopt;
    unsigned long long value = 0;
    const unsigned long long limit =
        negative ? static_cast<unsigned long long>(LLONG_MAX) + 1 : LLONG_MAX;
    char previous = 0;
    for (char c : text) {
        if (c == '_') {
            if (previous == '_') return std::nullopt;
            previous = c;
            continue;
        }
        previous = c;
        if (c < '0' || c >= '0' + base) return std::nullopt;
        const unsigned digit = static_cast<unsigned>(c - '0');
        if (value > (limit - digit) / static_cast<unsigned>(base)) return std::nullopt;
        value = value * static_cast<unsigned>(base) + digit;
    }
    return negative ? static_cast<long long>(0ull - value) : static_cast<long long>(value);
}

std::optional<long long> parse_int(std::string_view text, int base) {
    text = py_strip(text);
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (base == 8 && text.size() > 2 && text[0] == '0' && lower(text[1]) == 'o') {
        text.remove_prefix(2);
        if (!text.empty() && text.front() == '_') text.remove_prefix(1);  // 0o_17 is allowed
    }
    return digits_of(text, base, negative);
}

// The home directory from the passwd entry of `user` ("" = the real uid's).
std::optional<std::string> home_of(const std::string& user) {
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd* found = nullptr;
    for (;;) {
        int error = user.empty()
                        ? ::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found)
                        : ::getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found);
        if (error != ERANGE || buffer.size() >= (1u << 24)) break;
        buffer.resize(buffer.size() * 2);
    }
    if (!found) return std::nullopt;
    return std::string(found->pw_dir);
}

bool is_one_of(std::string_view text, std::initializer_list<std::string_view> words) {
    std::string lowered = py_lower(text);
    for (std::string_view word : words) {
        if (lowered == word) return true;
    }
    return false;
}

}  // namespace

bool is_py_space(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

std::string_view py_strip(std::string_view text) {
    std::size_t begin = 0, end = text.size();
    while (begin < end && is_py_space(text[begin]))
        ++begin;
    while (end > begin && is_py_space(text[end - 1]))
        --end;
    return text.substr(begin, end - begin);
}

std::string py_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = lower(c);
    return out;
}

std::optional<long long> py_int(std::string_view text) {
    return parse_int(text, 10);
}

std::optional<long long> py_octal(std::string_view text) {
    return parse_int(text, 8);
}

std::optional<bool> py_boolean(std::string_view text) {
    if (is_one_of(text, {"yes", "true", "on", "1"})) return true;
    if (is_one_of(text, {"no", "false", "off", "0"})) return false;
    return std::nullopt;
}

std::optional<long long> byte_size(std::string_view text) {
    struct Unit {
        std::string_view suffix;
        long long factor;
    };
    static constexpr Unit kUnits[] = {{"kb", 1ll << 10}, {"mb", 1ll << 20}, {"gb", 1ll << 30}};
    const std::string lowered = py_lower(text);
    for (const Unit& unit : kUnits) {
        if (lowered.size() < 2 || lowered.compare(lowered.size() - 2, 2, unit.suffix) != 0) {
            continue;
        }
        auto number = py_int(std::string_view(lowered).substr(0, lowered.size() - 2));
        if (!number || *number > LLONG_MAX / unit.factor || *number < LLONG_MIN / unit.factor) {
            return std::nullopt;
        }
        return *number * unit.factor;
    }
    return py_int(lowered);
}

std::optional<int> signal_number(std::string_view text) {
    if (auto number = py_int(text)) {
        if (*number < 1 || *number >= NSIG) return std::nullopt;
        return static_cast<int>(*number);
    }
    std::string_view name = py_strip(text);
    if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return std::nullopt;
    return parse_signal(name);
}

std::optional<AutoRestart> auto_restart(std::string_view text) {
    if (auto flag = py_boolean(text)) return *flag ? AutoRestart::Always : AutoRestart::Never;
    if (py_lower(text) == "unexpected") return AutoRestart::OnFailure;
    return std::nullopt;
}

std::optional<std::vector<int>> exit_codes(std::string_view text) {
    std::vector<int> codes;
    if (text.empty()) return codes;
    for (const std::string& item : list_of_strings(text)) {
        auto code = py_int(item);
        if (!code || *code < 0 || *code > 255) return std::nullopt;
        codes.push_back(static_cast<int>(*code));
    }
    return codes;
}

std::vector<std::string> list_of_strings(std::string_view text) {
    std::vector<std::string> items;
    if (text.empty()) return items;
    std::size_t begin = 0;
    for (;;) {
        std::size_t comma = text.find(',', begin);
        items.emplace_back(py_strip(text.substr(begin, comma - begin)));
        if (comma == std::string_view::npos) break;
        begin = comma + 1;
    }
    return items;
}

std::optional<std::pair<std::string, int>> inet_address(std::string_view text, std::string& why) {
    std::string host;
    std::string_view port_text = text;
    const std::size_t colon = text.rfind(':');
    if (colon != std::string_view::npos) {
        host = py_lower(text.substr(0, colon));
        port_text = text.substr(colon + 1);
        if (port_text.empty()) {
            why = "no port number after the \":\"";
            return std::nullopt;
        }
    }
    auto port = py_int(port_text);
    if (!port || *port < 1 || *port > 65535) {
        why = "\"" + std::string(port_text) + "\" is not a port number (1..65535)";
        return std::nullopt;
    }
    if (host == "*") host.clear();
    return std::pair{host, static_cast<int>(*port)};
}

std::string expand_user(const std::string& path) {
    if (path.empty() || path.front() != '~') return path;
    std::size_t slash = path.find('/', 1);
    if (slash == std::string::npos) slash = path.size();
    std::optional<std::string> home;
    const char* env = std::getenv("HOME");
    if (slash == 1 && env) {
        home = env;
    } else {
        home = home_of(path.substr(1, slash - 1));
        if (!home) return path;
    }
    while (!home->empty() && home->back() == '/')
        home->pop_back();
    std::string expanded = *home + path.substr(slash);
    return expanded.empty() ? "/" : expanded;
}

bool parent_directory_exists(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return true;
    return is_directory(slash == 0 ? "/" : path.substr(0, slash));
}

bool is_directory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string normalize_path(const std::string& path) {
    if (path.empty()) return ".";
    std::size_t initial_slashes = path.front() == '/' ? 1 : 0;
    if (path.rfind("//", 0) == 0 && path.rfind("///", 0) != 0) initial_slashes = 2;
    std::vector<std::string> parts;
    std::size_t begin = 0;
    while (begin <= path.size()) {
        std::size_t slash = path.find('/', begin);
        if (slash == std::string::npos) slash = path.size();
        std::string part = path.substr(begin, slash - begin);
        begin = slash + 1;
        if (part.empty() || part == ".") continue;
        if (part != ".." || (initial_slashes == 0 && parts.empty()) ||
            (!parts.empty() && parts.back() == "..")) {
            parts.push_back(std::move(part));
        } else if (!parts.empty()) {
            parts.pop_back();
        }
    }
    std::string out(initial_slashes, '/');
    for (std::size_t i = 0; i < parts.size(); ++i)
        out += (i ? "/" : "") + parts[i];
    return out.empty() ? "." : out;
}

}  // namespace superv::config::detail::ini

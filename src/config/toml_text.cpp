#include "toml_text.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <sstream>

namespace superv::config::detail {
namespace {

// UTF-8 stays as written; control characters become escapes.
constexpr auto kFlags = toml::format_flags::allow_unicode_strings;

template <class Node>
std::string formatted(const Node& node) {
    std::ostringstream out;
    out << toml::toml_formatter(node, kFlags);
    return out.str();
}

bool is_bare_key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

}  // namespace

std::string toml_key(std::string_view key) {
    if (!key.empty() && std::all_of(key.begin(), key.end(), is_bare_key_char)) {
        return std::string(key);
    }
    return toml_string(key);
}

std::string toml_string(std::string_view text) {
    return formatted(toml::value<std::string>(std::string(text)));
}

std::string toml_strings(const std::vector<std::string>& words) {
    std::string out = "[";
    for (const std::string& word : words)
        out += (out.size() > 1 ? ", " : "") + toml_string(word);
    return out + "]";
}

std::string toml_inline_table(const std::map<std::string, std::string>& entries) {
    if (entries.empty()) return "{}";
    std::string out = "{ ";
    for (const auto& [name, value] : entries)
        out += (out.size() > 2 ? ", " : "") + toml_key(name) + " = " + toml_string(value);
    return out + " }";
}

std::string toml_seconds(Millis duration) {
    const auto ms = duration.count();
    if (ms % 1000 == 0) return std::to_string(ms / 1000);
    // The shortest text that reads back as the same double ("0.2", not
    // toml++'s "0.20000000000000001"); the loader rounds seconds * 1000 to
    // the nearest millisecond.
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, static_cast<double>(ms) / 1000.0).ptr;
    return std::string(text, end);
}

std::string toml_size(std::uint64_t bytes) {
    struct Unit {
        const char* suffix;
        std::uint64_t factor;
    };
    static constexpr Unit kUnits[] = {{"GB", 1ull << 30}, {"MB", 1ull << 20}, {"KB", 1ull << 10}};
    if (bytes != 0) {
        for (const Unit& unit : kUnits) {
            if (bytes % unit.factor == 0) {
                return "\"" + std::to_string(bytes / unit.factor) + unit.suffix + "\"";
            }
        }
    }
    // A TOML integer is signed 64-bit; larger byte counts go as digits in a string.
    if (bytes > static_cast<std::uint64_t>(INT64_MAX)) return "\"" + std::to_string(bytes) + "\"";
    return std::to_string(bytes);
}

std::string toml_mode(mode_t mode) {
    char text[16];
    std::snprintf(text, sizeof text, "\"0%o\"", static_cast<unsigned>(mode));
    return text;
}

std::string toml_depends_on(const std::vector<Dependency>& dependencies) {
    const bool all_ready =
        std::all_of(dependencies.begin(), dependencies.end(),
                    [](const Dependency& d) { return d.condition == Condition::Ready; });
    if (all_ready) {
        std::vector<std::string> targets;
        for (const Dependency& dependency : dependencies)
            targets.push_back(dependency.target);
        return toml_strings(targets);
    }
    std::string out = "{ ";
    for (const Dependency& dependency : dependencies) {
        out += (out.size() > 2 ? ", " : "") + toml_key(dependency.target) + " = " +
               toml_string(condition_name(dependency.condition));
    }
    return out + " }";
}

std::string toml_ready(const Readiness& ready) {
    switch (ready.kind) {
        case Readiness::Kind::None:
            break;
        case Readiness::Kind::Notify:
            return "\"notify\"";
        case Readiness::Kind::Healthy:
            return "\"healthy\"";
        case Readiness::Kind::Fd:
            return "{ fd = " + std::to_string(ready.fd) + " }";
        case Readiness::Kind::Log:
            return "{ log = " + toml_string(ready.pattern) + " }";
        case Readiness::Kind::Tcp:
            return "{ tcp = " + toml_tcp_address(ready.host, ready.port) + " }";
    }
    return "\"none\"";
}

std::string toml_tcp_address(const std::string& host, int port) {
    if (host == "127.0.0.1") return std::to_string(port);
    const bool v6 = host.find(':') != std::string::npos;
    return toml_string((v6 ? "[" + host + "]" : host) + ":" + std::to_string(port));
}

}  // namespace superv::config::detail

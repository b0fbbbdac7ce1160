// A `ready = { log = ... }` pattern, compiled once when the config is loaded
// rather than by every process that uses it, or at every line.
#pragma once

#include <memory>
#include <regex>
#include <string>
#include <variant>

namespace superv::config {

struct CompiledRegex {
    std::regex regex;  // ECMAScript, as std::regex's default
};

// The compiled pattern, or why it is no regular expression (std::regex_error's
// text, e.g. "Mismatched '(' and ')' in regular expression").
std::variant<std::shared_ptr<const CompiledRegex>, std::string> compile_regex(
    const std::string& pattern);

}  // namespace superv::config

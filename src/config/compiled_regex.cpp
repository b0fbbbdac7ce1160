#include "superv/config/compiled_regex.hpp"

namespace superv::config {

std::variant<std::shared_ptr<const CompiledRegex>, std::string> compile_regex(
    const std::string& pattern) {
    try {
        return std::make_shared<const CompiledRegex>(
            CompiledRegex{std::regex(pattern, std::regex::ECMAScript)});
    } catch (const std::regex_error& error) {
        return std::string(error.what());
    }
}

}  // namespace superv::config

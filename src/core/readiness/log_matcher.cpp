#include "superv/core/readiness/log_matcher.hpp"

#include <algorithm>
#include <string_view>

namespace superv::core::readiness {

LogLineMatcher::LogLineMatcher(std::shared_ptr<const config::CompiledRegex> regex,
                               std::size_t max_line)
    : regex_(std::move(regex)), max_line_(max_line) {
    line_.reserve(max_line_);
}

bool LogLineMatcher::feed(std::span<const std::byte> chunk) {
    std::string_view rest(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    while (!matched_ && !rest.empty()) {
        const std::size_t newline = rest.find('\n');
        const std::string_view part = rest.substr(0, newline);
        if (!skipping_) {
            line_.append(part.substr(0, max_line_ - line_.size()));
            if (line_.size() == max_line_) {
                match_line();
                skipping_ = true;
            }
        }
        if (newline == std::string_view::npos) break;
        if (!skipping_) match_line();
        skipping_ = false;
        rest.remove_prefix(newline + 1);
    }
    if (matched_) line_ = std::string();  // nothing more to look at: give the buffer back
    return matched_;
}

bool LogLineMatcher::finish() {
    if (!matched_ && !skipping_ && !line_.empty()) match_line();
    return matched_;
}

void LogLineMatcher::match_line() {
    std::string_view line = line_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF output
    try {
        matched_ = std::regex_search(line.begin(), line.end(), regex_->regex);
    } catch (const std::regex_error&) {
        // libstdc++ gives up on some patterns and inputs (error_complexity,
        // error_stack): that line does not match, the next one may.
    }
    line_.clear();
}

}  // namespace superv::core::readiness

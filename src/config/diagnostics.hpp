// Collecting every config error with its position, and the small text helpers
// the messages share. Private to src/config.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "superv/config/loader.hpp"

namespace superv::config::detail {

class Diagnostics {
  public:
    explicit Diagnostics(std::string file) : file_(std::move(file)) {}

    SourcePos at(const toml::source_region& where) const {
        return SourcePos{file_, static_cast<int>(where.begin.line),
                         static_cast<int>(where.begin.column)};
    }
    void error(const SourcePos& where, std::string message) {
        errors_.push_back(ConfigError{where, std::move(message)});
    }
    void error(const toml::source_region& where, std::string message) {
        error(at(where), std::move(message));
    }
    bool failed() const { return !errors_.empty(); }
    std::size_t count() const { return errors_.size(); }

    // In file order, so `check` output reads top to bottom.
    std::vector<ConfigError> take();

  private:
    std::string file_;
    std::vector<ConfigError> errors_;
};

// `"text"`, for names and values inside messages.
std::string quote(std::string_view text);

// "a string", "an integer", ... for "must be X, not Y" messages.
std::string type_phrase(const toml::node& node);

// The candidate a misspelt `word` most likely meant, if any is close enough.
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

// " (did you mean \"x\"?)" or "".
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace superv::config::detail

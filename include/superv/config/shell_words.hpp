// Splitting a string `command` like a POSIX shell would split words:
// single and double quotes, backslash escapes; no expansion of any kind.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace superv::config {

struct ShellWordsError {
    std::size_t offset;   // byte offset in the input where the problem is
    std::string message;  // e.g. "unterminated double quote"
};

// Returns the words, or the error.
std::vector<std::string> split_shell_words(std::string_view text,
                                           std::optional<ShellWordsError>* error);

}  // namespace superv::config

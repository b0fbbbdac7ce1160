// Splitting a string `command` like a POSIX shell would split words:
// single and double quotes, backslash escapes; no expansion of any kind.
// supervisord.conf's `command` is split by Python's shlex.split() instead,
// which differs in three details (see split_like_shlex).
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

// Python's shlex.split(text) (POSIX mode, no comments), as supervisord splits
// `command`: the same as split_shell_words() except that inside double
// quotes a backslash escapes only `"` and `\` (`"\$"` stays `\$`), a
// backslash-newline outside quotes is a newline in the word rather than
// nothing, and a carriage return separates words like a blank.
std::vector<std::string> split_like_shlex(std::string_view text,
                                          std::optional<ShellWordsError>* error);

}  // namespace superv::config

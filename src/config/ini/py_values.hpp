// supervisord's value types (supervisor/datatypes.py), which lean on Python's
// own parsing: int() takes " +1_000 ", octal_type is int(x, 8), byte_size
// takes "10KB". Each returns nullopt for a value supervisord would refuse;
// the caller words the error. Private to src/config.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "superv/config/config.hpp"

namespace superv::config::detail::ini {

// Python's str.isspace() for the ASCII range, which is all a config holds
// where it matters (delimiters, indentation, comment prefixes), and
// str.strip() with it.
bool is_py_space(char c);
std::string_view py_strip(std::string_view text);

// str.lower() for ASCII letters (option names, keywords).
std::string py_lower(std::string_view text);

// int(text): surrounding whitespace, a sign, digits with single "_" between.
std::optional<long long> py_int(std::string_view text);

// int(text, 8): as py_int, with an optional "0o" after the sign.
std::optional<long long> py_octal(std::string_view text);

// yes/true/on/1 and no/false/off/0, in any case.
std::optional<bool> py_boolean(std::string_view text);

// byte_size: an integer, or one followed by KB, MB or GB (any case; powers
// of 1024). "50B" is not a size to supervisord.
std::optional<long long> byte_size(std::string_view text);

// signal_number: a number, or a name with or without SIG, in any case.
std::optional<int> signal_number(std::string_view text);

// auto_restart: true/yes/on/1 (always), false/no/off/0 (never), unexpected.
std::optional<AutoRestart> auto_restart(std::string_view text);

// list_of_exitcodes: "0,2"; "" is no code at all. Each in 0..255.
std::optional<std::vector<int>> exit_codes(std::string_view text);

// list_of_strings: split at "," and stripped; "" is an empty list.
std::vector<std::string> list_of_strings(std::string_view text);

// inet_address: "PORT", "HOST:PORT" or "*:PORT" (host "" = every
// interface); the host lowercased. On failure nullopt and `why`.
std::optional<std::pair<std::string, int>> inet_address(std::string_view text, std::string& why);

// dict_of_key_value_pairs, which tokenizes with Python's non-POSIX
// shlex.shlex: KEY=VALUE pairs split by any one token (usually ","), quotes
// kept in the token and then stripped from the value's ends. On failure
// nullopt and `why`.
std::optional<std::map<std::string, std::string>> key_value_pairs(std::string_view text,
                                                                  std::string& why);

// os.path.expanduser: "~" and "~/x" from $HOME, "~user/x" from the user's
// home; anything else (an unknown user too) unchanged.
std::string expand_user(const std::string& path);

// existing_dirpath's test: the directory `path` names a file in exists.
bool parent_directory_exists(const std::string& path);
bool is_directory(const std::string& path);

// os.path.normpath: "." and "x/.." removed, repeated "/" collapsed.
std::string normalize_path(const std::string& path);

}  // namespace superv::config::detail::ini

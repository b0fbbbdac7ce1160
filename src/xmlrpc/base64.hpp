// The base64 of <base64> values (RFC 4648, standard alphabet).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace superv::xmlrpc::detail {

// As Python's base64.encodebytes: lines of 76 characters, each ending "\n".
std::string base64_lines(std::string_view bytes);

// Whitespace anywhere is skipped and the "=" padding may be left out;
// nullopt for any other character or a length no encoding has.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace superv::xmlrpc::detail

// Base64 (RFC 4648, standard alphabet) through nettle, for the two formats
// that carry it: HTTP basic auth and XML-RPC <base64>.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace superv {

// One line, with "=" padding.
std::string base64_encode(std::string_view bytes);

// Whitespace anywhere is skipped; nullopt for any other character outside
// the alphabet, missing or misplaced padding, or a length no encoding has.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace superv

// The base64 of <base64> values (RFC 4648, standard alphabet).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace superv::xmlrpc::detail {

// As Python's base64.encodebytes: lines of 76 characters, each ending "\n".
std::string base64_lines(std::string_view bytes);

}  // namespace superv::xmlrpc::detail

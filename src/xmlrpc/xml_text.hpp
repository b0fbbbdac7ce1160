// Strings as XML 1.0 character data, whatever bytes they hold (see codec.hpp).
#pragma once

#include <string>
#include <string_view>

namespace superv::xmlrpc::detail {

// Appends `text` escaped (& < > and CR as references), with invalid UTF-8 and
// the characters XML 1.0 forbids replaced by U+FFFD.
void append_xml_text(std::string& out, std::string_view text);

// XML's whitespace: space, tab, CR, LF.
inline bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_blank(std::string_view text);
std::string_view trim_blank(std::string_view text);

}  // namespace superv::xmlrpc::detail

#include "xml_text.hpp"

#include "superv/common/utf8.hpp"

namespace superv::xmlrpc::detail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

bool allowed_in_xml(char32_t c) {
    if (c < 0x20) return c == '\t' || c == '\n' || c == '\r';
    return c != 0xFFFE && c != 0xFFFF;
}

}  // namespace

// Printable ASCII other than the three escaped characters: copied as it is.
bool plain(char c) {
    return c >= 0x20 && c < 0x7F && c != '&' && c != '<' && c != '>';
}

void append_xml_text(std::string& out, std::string_view text) {
    out.reserve(out.size() + text.size());
    for (std::size_t at = 0; at < text.size();) {
        // Most text (names, descriptions, log lines) is plain: a run of it in
        // one append rather than a decode per byte.
        std::size_t run = at;
        while (run < text.size() && plain(text[run]))
            ++run;
        if (run > at) {
            out.append(text.substr(at, run - at));
            at = run;
            continue;
        }
        const Utf8Sequence d = decode_utf8(text, at);
        if (!d.valid || !allowed_in_xml(d.code_point)) {
            out += kReplacement;
        } else {
            switch (d.code_point) {
                case '&':
                    out += "&amp;";
                    break;
                case '<':
                    out += "&lt;";
                    break;
                case '>':
                    out += "&gt;";
                    break;  // also keeps "]]>" out of the text
                case '\r':
                    out += "&#13;";
                    break;
                default:
                    out.append(text.substr(at, d.length));
            }
        }
        at += d.length;
    }
}

bool is_blank(std::string_view text) {
    for (char c : text)
        if (!is_blank(c)) return false;
    return true;
}

std::string_view trim_blank(std::string_view text) {
    while (!text.empty() && is_blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back()))
        text.remove_suffix(1);
    return text;
}

}  // namespace superv::xmlrpc::detail

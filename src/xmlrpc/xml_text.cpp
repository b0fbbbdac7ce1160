#include "xml_text.hpp"

namespace superv::xmlrpc::detail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

struct Decoded {
    char32_t code_point = 0;
    std::size_t length = 1;  // bytes taken: the sequence, or its maximal invalid prefix
    bool valid = false;
};

// One UTF-8 sequence at text[at], by the well-formed byte ranges of Unicode's
// table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF.
Decoded decode_utf8(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    if (lead < 0x80) return {lead, 1, true};
    std::size_t trailing = 0;
    char32_t code_point = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the first trailing byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        trailing = 1;
        code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        trailing = 2;
        code_point = lead & 0x0F;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        trailing = 3;
        code_point = lead & 0x07;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return {};
    }
    for (std::size_t i = 1; i <= trailing; ++i) {
        if (at + i >= text.size()) return {0, i, false};
        const auto byte = static_cast<unsigned char>(text[at + i]);
        if (byte < low || byte > high) return {0, i, false};
        low = 0x80;
        high = 0xBF;
        code_point = (code_point << 6) | (byte & 0x3F);
    }
    return {code_point, trailing + 1, true};
}

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
        const Decoded d = decode_utf8(text, at);
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

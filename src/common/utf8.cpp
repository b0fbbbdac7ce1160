#include "superv/common/utf8.hpp"

namespace superv {

Utf8Sequence decode_utf8(std::string_view text, std::size_t at) {
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

}  // namespace superv

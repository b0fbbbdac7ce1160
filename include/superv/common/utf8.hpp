// UTF-8, checked strictly: what XML-RPC replies and notify STATUS texts
// must be before they go out as XML or JSON.
#pragma once

#include <cstddef>
#include <string_view>

namespace superv {

struct Utf8Sequence {
    char32_t code_point = 0;
    std::size_t length = 1;  // bytes taken: the sequence, or its maximal invalid prefix
    bool valid = false;
};

// One UTF-8 sequence at text[at] (at < text.size()), by the well-formed byte
// ranges of Unicode's table 3-7: no overlong forms, no surrogates, nothing
// above U+10FFFF.
Utf8Sequence decode_utf8(std::string_view text, std::size_t at);

}  // namespace superv

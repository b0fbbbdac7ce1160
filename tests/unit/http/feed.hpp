// Feeding a RequestParser the way a connection does: in pieces, as they arrive.
#pragma once

#include <algorithm>
#include <string_view>

#include "superv/http/request_parser.hpp"

namespace superv::http {

// Feeds text in pieces of at most `piece` bytes until the parser completes a request or fails;
// `consumed` is then the total taken from text.
inline RequestParser::Result feed_in_pieces(RequestParser& parser, std::string_view text,
                                            std::size_t piece = std::string_view::npos) {
    std::size_t used = 0;
    RequestParser::Result result;
    do {
        result = parser.feed(text.substr(used, std::min(piece, text.size() - used)));
        used += result.consumed;
    } while (result.kind == RequestParser::Result::NeedMore && used < text.size());
    result.consumed = used;
    return result;
}

}  // namespace superv::http

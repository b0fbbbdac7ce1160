// Fuzzes RequestParser: arbitrary bytes, fed in arbitrary pieces, must give the same requests (or
// an error at the same request) as when fed at once, never exceed the limits, and never read past
// the input. Not part of the build; from the repository root:
// clang-format off
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude tests/fuzz/http_request_fuzz.cpp src/http/*.cpp -lhttp_parser -lnettle -o http_request_fuzz && ./http_request_fuzz
// clang-format on
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "superv/http/basic_auth.hpp"
#include "superv/http/request_parser.hpp"
#include "superv/http/response.hpp"

namespace {

using superv::http::Limits;
using superv::http::RequestParser;

// Small limits, so that the fuzzer reaches every one of them.
constexpr Limits kLimits{
    .max_head_bytes = 512, .max_target_bytes = 128, .max_body_bytes = 1024, .max_headers = 8};

void check(bool ok) {
    if (!ok) std::abort();
}

// What came out of a stream: one line per request or error.
std::vector<std::string> parse(std::string_view input, std::string_view splits) {
    std::vector<std::string> outcome;
    RequestParser parser(kLimits);
    std::size_t next_split = 0;
    while (true) {
        std::size_t piece = input.size();
        if (!splits.empty()) piece = std::uint8_t(splits[next_split++ % splits.size()]) % 17 + 1;
        piece = std::min(piece, input.size());
        const auto result = parser.feed(input.substr(0, piece));
        check(result.consumed <= piece);
        input.remove_prefix(result.consumed);
        if (result.kind == RequestParser::Result::Error) {
            check(result.status >= 400 && result.status < 600 && !result.reason.empty());
            // Not the status: of a request breaking two rules, either may be found first, and
            // which depends on where http-parser's pieces end.
            outcome.push_back("error");
            return outcome;
        }
        if (result.kind == RequestParser::Result::Complete) {
            const auto request = parser.take();
            check(request.target.size() <= kLimits.max_target_bytes);
            check(request.body.size() <= kLimits.max_body_bytes);
            check(request.headers.size() <= kLimits.max_headers);
            check(request.path.find('\0') == std::string::npos);
            superv::http::check_basic_auth(request, "user",
                                           "{SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d");
            superv::http::response(request, 200, "text/plain", request.body);
            outcome.push_back(request.method + " " + request.target + " " + request.path + " " +
                              std::to_string(request.headers.size()) + " " + request.body);
            continue;
        }
        if (input.empty()) return outcome;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The first bytes choose the piece sizes, the rest is the stream.
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    const std::size_t split_bytes = std::min<std::size_t>(all.size(), 8);
    const std::string_view splits = all.substr(0, split_bytes), input = all.substr(split_bytes);
    check(parse(input, splits) == parse(input, {}));
    return 0;
}

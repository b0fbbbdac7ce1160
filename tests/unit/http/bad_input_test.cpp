// Bad input (issue 13): every kind of malformed or hostile request ends in an Error with the status
// to answer, the same whether it arrives at once or byte by byte, without holding more than the
// limits allow.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "feed.hpp"
#include "superv/http/request_parser.hpp"

namespace superv::http {
namespace {

using Kind = RequestParser::Result::Kind;

struct BadRequest {
    std::string what;
    std::string input;
    int status;
};

std::string with_headers(int count) {
    std::string text = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < count; ++i)
        text += "X-" + std::to_string(i) + ": v\r\n";
    return text + "\r\n";
}

std::vector<BadRequest> bad_requests() {
    using namespace std::string_literals;
    return {
        {"lowercase garbage", "hello there\r\n\r\n", 400},
        {"no target", "GET\r\n\r\n", 400},
        {"no version", "GET / \r\n\r\n", 400},
        {"malformed version", "GET / HTTP/1.x\r\n\r\n", 400},
        {"header without colon", "GET / HTTP/1.1\r\nHost\r\n\r\n", 400},
        {"space in a field name", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400},
        {"NUL first", "\0GET / HTTP/1.1\r\n\r\n"s, 400},
        {"NUL in the target", "GET /a\0b HTTP/1.1\r\n\r\n"s, 400},
        {"NUL in a field name", "GET / HTTP/1.1\r\nX\0Y: v\r\n\r\n"s, 400},
        {"NUL in a value", "GET / HTTP/1.1\r\nX: a\0b\r\n\r\n"s, 400},
        {"non-numeric Content-Length", "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400},
        {"negative Content-Length", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
        {"Content-Length overflowing",
         "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},
        {"two Content-Lengths",
         "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400},
        {"Content-Length with chunked",
         "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
         400},
        {"Transfer-Encoding without chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
         400},
        {"Transfer-Encoding gzip, chunked",
         "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501},
        {"chunked twice", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
         501},
        {"bad chunk size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
        {"chunk longer than its size",
         "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400},
        {"HTTP/2.0 request line", "GET / HTTP/2.0\r\n\r\n", 505},
        {"HTTP/0.9 version", "GET / HTTP/0.9\r\n\r\n", 505},
        {"HTTP/2 connection preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400},
        {"TLS ClientHello", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"s + std::string(32, 'r'),
         400},
        {"unknown method", "BREW /pot HTTP/1.1\r\n\r\n", 501},
        {"lowercase method", "get / HTTP/1.1\r\n\r\n", 400},
        {"CONNECT", "CONNECT localhost:443 HTTP/1.1\r\n\r\n", 501},
        {"non-hex escape", "GET /a%zz HTTP/1.1\r\n\r\n", 400},
        {"one-digit escape", "GET /a%4 HTTP/1.1\r\n\r\n", 400},
        {"trailing percent", "GET /a% HTTP/1.1\r\n\r\n", 400},
        {"escaped NUL", "GET /logtail/a%00b HTTP/1.1\r\n\r\n", 400},
        {"target over the limit", "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n", 414},
        {"head over the limit", "GET / HTTP/1.1\r\nX-Big: " + std::string(20000, 'v') + "\r\n\r\n",
         431},
        {"too many header fields", with_headers(65), 431},
        {"body over the limit by Content-Length",
         "POST / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n", 413},
        {"chunk announcing more than the limit",
         "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n100001\r\n", 413},
    };
}

TEST(BadInput, EachGivesItsStatusWholeAndByteByByte) {
    for (const auto& bad : bad_requests()) {
        for (std::size_t piece : {std::string_view::npos, std::size_t{1}, std::size_t{5}}) {
            RequestParser parser;
            const auto result = feed_in_pieces(parser, bad.input, piece);
            EXPECT_EQ(result.kind, Kind::Error) << bad.what << " (pieces of " << piece << ")";
            EXPECT_EQ(result.status, bad.status)
                << bad.what << " (pieces of " << piece << "): " << result.reason;
            EXPECT_FALSE(result.reason.empty()) << bad.what;
        }
    }
}

TEST(BadInput, SixtyFourHeaderFieldsAreStillAccepted) {
    RequestParser parser;
    EXPECT_EQ(parser.feed(with_headers(64)).kind, Kind::Complete);
    EXPECT_EQ(parser.take().headers.size(), 64u);
}

TEST(BadInput, ErrorIsFinal) {
    RequestParser parser;
    const auto first = parser.feed("get / HTTP/1.1\r\n\r\n");
    ASSERT_EQ(first.kind, Kind::Error);
    const auto again = parser.feed("GET / HTTP/1.1\r\n\r\n");
    EXPECT_EQ(again.kind, Kind::Error);
    EXPECT_EQ(again.status, first.status);
    EXPECT_EQ(again.consumed, 0u);
}

TEST(BadInput, ReasonNamesTheProblem) {
    RequestParser parser;
    EXPECT_EQ(parser.feed("\x16\x03\x01\x02\x00").reason, "TLS handshake on a plain HTTP listener");
}

TEST(BadInput, AnAbsurdlyLongTargetIsRefusedWithoutReadingIt) {
    const std::string huge = "GET /" + std::string(1 << 20, 'a');
    RequestParser parser;
    const auto result = parser.feed(huge);
    EXPECT_EQ(result.status, 414);
    EXPECT_LE(result.consumed, Limits{}.max_head_bytes);
}

TEST(BadInput, AnEndlessHeadIsRefusedAtTheLimit) {
    const Limits limits;
    for (std::string filler : {"X: " + std::string(1 << 20, 'v'), std::string(1 << 20, 'X')}) {
        RequestParser parser;
        const auto result = parser.feed("GET / HTTP/1.1\r\n" + filler);
        EXPECT_EQ(result.status, 431);
        EXPECT_LE(result.consumed, limits.max_head_bytes);
    }
    // Blank lines before a request count as its head too.
    RequestParser parser;
    EXPECT_EQ(parser.feed(std::string(1 << 20, '\n')).status, 431);
}

TEST(BadInput, AnOversizedBodyIsRefusedBeforeItsBytesArrive) {
    RequestParser parser;
    const std::string head = "POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n";
    const auto result = parser.feed(head + "abc");
    EXPECT_EQ(result.kind, Kind::Error);
    EXPECT_EQ(result.status, 413);
    EXPECT_LE(result.consumed, head.size());
}

TEST(BadInput, AChunkedBodyIsRefusedOnceItPassesTheLimit) {
    const Limits limits{.max_body_bytes = 10};
    std::string text = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 6; ++i)
        text += "2\r\nab\r\n";
    for (std::size_t piece : {std::size_t{1}, std::string_view::npos}) {
        RequestParser parser(limits);
        const auto result = feed_in_pieces(parser, text, piece);
        EXPECT_EQ(result.kind, Kind::Error) << piece;
        EXPECT_EQ(result.status, 413) << piece;
    }
    RequestParser exact(limits);
    std::string ten = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 5; ++i)
        ten += "2\r\nab\r\n";
    EXPECT_EQ(exact.feed(ten + "0\r\n\r\n").kind, Kind::Complete);
    EXPECT_EQ(exact.take().body.size(), 10u);
}

TEST(BadInput, AHeadOneByteOverTheLimitIsRefused) {
    std::string head = "GET / HTTP/1.1\r\nX: ";
    head += std::string(65 - head.size() - 4, 'v') + "\r\n\r\n";
    ASSERT_EQ(head.size(), 65u);
    for (std::size_t piece : {std::size_t{1}, std::string_view::npos}) {
        RequestParser parser(Limits{.max_head_bytes = 64});
        EXPECT_EQ(feed_in_pieces(parser, head, piece).status, 431) << piece;
    }
}

}  // namespace
}  // namespace superv::http

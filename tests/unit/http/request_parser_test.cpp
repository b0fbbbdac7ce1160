// Well-formed requests: what the parser makes of them, however they are split or pipelined.
#include "superv/http/request_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "feed.hpp"

namespace superv::http {
namespace {

using Kind = RequestParser::Result::Kind;

Request parse(std::string_view text, std::size_t piece = std::string_view::npos) {
    RequestParser parser;
    const auto result = feed_in_pieces(parser, text, piece);
    EXPECT_EQ(result.kind, Kind::Complete) << result.status << " " << result.reason;
    EXPECT_EQ(result.consumed, text.size());
    return parser.take();
}

constexpr std::string_view kGet =
    "GET /logtail/web%3Aweb/stderr?offset=0&length=10 HTTP/1.1\r\n"
    "Host: localhost:9001\r\n"
    "User-Agent: supervisorctl\r\n"
    "\r\n";

constexpr std::string_view kPost =
    "POST /RPC2 HTTP/1.1\r\n"
    "Host: localhost\r\n"
    "Content-Type: text/xml\r\n"
    "Content-Length: 94\r\n"
    "\r\n"
    "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.getState</methodName>\n"
    "</methodCall>\n";

constexpr std::string_view kChunkedPost =
    "POST /RPC2 HTTP/1.1\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n"
    "5\r\nhello\r\n"
    "1;ext=1\r\n \r\n"
    "5\r\nworld\r\n"
    "0\r\n"
    "X-Trailer: dropped\r\n"
    "\r\n";

TEST(RequestParser, ParsesMethodTargetVersionAndHeaders) {
    const Request r = parse(kGet);
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.target, "/logtail/web%3Aweb/stderr?offset=0&length=10");
    EXPECT_EQ(r.version_major, 1);
    EXPECT_EQ(r.version_minor, 1);
    ASSERT_EQ(r.headers.size(), 2u);
    EXPECT_EQ(r.headers[0].name, "Host");
    EXPECT_EQ(r.headers[0].value, "localhost:9001");
    EXPECT_EQ(r.headers[1].name, "User-Agent");
    EXPECT_TRUE(r.body.empty());
}

TEST(RequestParser, DecodesThePathAndKeepsTheQueryRaw) {
    const Request r = parse("GET /logtail/a%20b%2Fc%3a?x=%41&y HTTP/1.1\r\n\r\n");
    EXPECT_EQ(r.path, "/logtail/a b/c:");
    EXPECT_EQ(r.query, "x=%41&y");
}

TEST(RequestParser, PathWithoutQueryHasAnEmptyQuery) {
    const Request r = parse("GET /mainlogtail HTTP/1.1\r\n\r\n");
    EXPECT_EQ(r.path, "/mainlogtail");
    EXPECT_EQ(r.query, "");
}

TEST(RequestParser, AbsoluteFormTargetGivesItsPathAndQuery) {
    const Request with_path = parse("GET http://localhost:9001/RPC2?a=1 HTTP/1.1\r\n\r\n");
    EXPECT_EQ(with_path.path, "/RPC2");
    EXPECT_EQ(with_path.query, "a=1");
    EXPECT_EQ(parse("GET http://localhost:9001 HTTP/1.1\r\n\r\n").path, "/");
}

TEST(RequestParser, AsteriskTargetIsKeptAsThePath) {
    EXPECT_EQ(parse("OPTIONS * HTTP/1.1\r\n\r\n").path, "*");
}

TEST(RequestParser, HeaderLookupIgnoresCaseAndFindsTheFirst) {
    const Request r = parse("GET / HTTP/1.1\r\nX-Thing: one\r\nx-thing: two\r\n\r\n");
    ASSERT_NE(r.header("X-THING"), nullptr);
    EXPECT_EQ(*r.header("x-Thing"), "one");
    EXPECT_EQ(r.header("Host"), nullptr);
}

TEST(RequestParser, EmptyHeaderValueDoesNotMergeWithTheNextField) {
    const Request r = parse("GET / HTTP/1.1\r\nX-Empty:\r\nHost: h\r\n\r\n");
    ASSERT_EQ(r.headers.size(), 2u);
    EXPECT_EQ(r.headers[0].name, "X-Empty");
    EXPECT_EQ(r.headers[0].value, "");
    EXPECT_EQ(r.headers[1].name, "Host");
}

TEST(RequestParser, TrimsWhitespaceAroundHeaderValues) {
    const Request r = parse("GET / HTTP/1.1\r\nHost: \t h \t \r\n\r\n");
    ASSERT_NE(r.header("host"), nullptr);
    EXPECT_EQ(*r.header("host"), "h");
}

TEST(RequestParser, ReadsABodyByContentLength) {
    const Request r = parse(kPost);
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/RPC2");
    EXPECT_EQ(r.body.size(), 94u);
    EXPECT_TRUE(r.body.starts_with("<?xml"));
}

TEST(RequestParser, DecodesAChunkedBodyAndDropsTheTrailer) {
    const Request r = parse(kChunkedPost);
    EXPECT_EQ(r.body, "hello world");
    EXPECT_EQ(r.header("X-Trailer"), nullptr);
    EXPECT_EQ(r.headers.size(), 1u);
}

TEST(RequestParser, BodyMayHoldAnyByte) {
    const std::string body("a\0\r\n\xff", 5);
    EXPECT_EQ(parse("PUT /x HTTP/1.1\r\nContent-Length: 5\r\n\r\n" + body).body, body);
}

TEST(RequestParser, KeepAliveFollowsTheVersionAndTheConnectionHeader) {
    EXPECT_TRUE(parse("GET / HTTP/1.1\r\n\r\n").keep_alive);
    EXPECT_FALSE(parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keep_alive);
    EXPECT_FALSE(parse("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").keep_alive);
    EXPECT_FALSE(parse("GET / HTTP/1.0\r\n\r\n").keep_alive);
    EXPECT_TRUE(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
    EXPECT_EQ(parse("GET / HTTP/1.0\r\n\r\n").version_minor, 0);
}

TEST(RequestParser, UpgradeRequestIsAnsweredAsAPlainRequest) {
    const Request r = parse("GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
    EXPECT_EQ(r.path, "/");
}

TEST(RequestParser, SplitAtEveryByteBoundaryGivesTheSameRequest) {
    for (std::string_view text : {kGet, kPost, kChunkedPost}) {
        const Request whole = parse(text);
        for (std::size_t split = 1; split < text.size(); ++split) {
            RequestParser parser;
            auto first = parser.feed(text.substr(0, split));
            ASSERT_EQ(first.kind, Kind::NeedMore) << split;
            ASSERT_EQ(first.consumed, split);
            auto second = parser.feed(text.substr(split));
            ASSERT_EQ(second.kind, Kind::Complete) << split << ": " << second.reason;
            ASSERT_EQ(second.consumed, text.size() - split);
            const Request r = parser.take();
            EXPECT_EQ(r.target, whole.target);
            EXPECT_EQ(r.headers.size(), whole.headers.size());
            EXPECT_EQ(r.body, whole.body) << split;
        }
        const Request bytewise = parse(text, 1);
        EXPECT_EQ(bytewise.body, whole.body);
        EXPECT_EQ(bytewise.path, whole.path);
    }
}

TEST(RequestParser, PipelinedRequestsComeOutOneAtATimeInOrder) {
    std::string stream;
    std::vector<std::string> paths;
    for (int i = 0; i < 200; ++i) {
        paths.push_back("/r" + std::to_string(i));
        if (i % 3 == 0) {
            stream += "GET " + paths.back() + " HTTP/1.1\r\n\r\n";
        } else if (i % 3 == 1) {
            stream += "POST " + paths.back() + " HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
        } else {
            stream += "POST " + paths.back() +
                      " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        }
    }
    RequestParser parser;
    std::string_view rest = stream;
    for (const auto& path : paths) {
        const auto result = parser.feed(rest);
        ASSERT_EQ(result.kind, Kind::Complete) << path << ": " << result.reason;
        rest.remove_prefix(result.consumed);
        const Request r = parser.take();
        EXPECT_EQ(r.path, path);
        EXPECT_EQ(r.body, r.method == "POST" ? "abc" : "");
    }
    EXPECT_TRUE(rest.empty());
    EXPECT_TRUE(parser.idle());
}

TEST(RequestParser, BlankLinesBetweenPipelinedRequestsAreSkipped) {
    RequestParser parser;
    const std::string_view stream = "GET /a HTTP/1.1\r\n\r\n\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
    auto first = parser.feed(stream);
    ASSERT_EQ(first.kind, Kind::Complete);
    EXPECT_EQ(parser.take().path, "/a");
    auto second = parser.feed(stream.substr(first.consumed));
    ASSERT_EQ(second.kind, Kind::Complete);
    EXPECT_EQ(parser.take().path, "/b");
}

TEST(RequestParser, HoldsACompleteRequestUntilItIsTaken) {
    RequestParser parser;
    ASSERT_EQ(parser.feed("GET /a HTTP/1.1\r\n\r\n").kind, Kind::Complete);
    const auto again = parser.feed("GET /b HTTP/1.1\r\n\r\n");
    EXPECT_EQ(again.kind, Kind::Complete);
    EXPECT_EQ(again.consumed, 0u);
    EXPECT_EQ(parser.take().path, "/a");
}

TEST(RequestParser, IsIdleOnlyBeforeTheFirstByteOfARequest) {
    RequestParser parser;
    EXPECT_TRUE(parser.idle());
    EXPECT_EQ(parser.feed("").kind, Kind::NeedMore);
    EXPECT_TRUE(parser.idle());
    parser.feed("G");
    EXPECT_FALSE(parser.idle());
    parser.feed("ET / HTTP/1.1\r\n\r\n");
    EXPECT_FALSE(parser.idle());
    parser.take();
    EXPECT_TRUE(parser.idle());
}

TEST(RequestParser, AcceptsAHeadAndABodyOfExactlyTheirLimits) {
    const Limits limits{.max_head_bytes = 64, .max_body_bytes = 10};
    std::string head = "POST / HTTP/1.1\r\nContent-Length: 10\r\nX: ";
    head += std::string(64 - head.size() - 4, 'v') + "\r\n\r\n";
    ASSERT_EQ(head.size(), 64u);
    for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::string_view::npos}) {
        RequestParser parser(limits);
        const auto result = feed_in_pieces(parser, head + "0123456789", piece);
        ASSERT_EQ(result.kind, Kind::Complete) << piece << ": " << result.reason;
        EXPECT_EQ(parser.take().body, "0123456789");
    }
}

TEST(RequestParser, MovedParserContinuesTheRequest) {
    RequestParser parser;
    parser.feed("GET /moved HT");
    RequestParser moved = std::move(parser);
    ASSERT_EQ(moved.feed("TP/1.1\r\n\r\n").kind, Kind::Complete);
    EXPECT_EQ(moved.take().path, "/moved");
}

}  // namespace
}  // namespace superv::http

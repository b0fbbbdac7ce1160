// The status of a health check's HTTP response: whole, in pieces, and bad.
#include "superv/http/response_status.hpp"

#include <gtest/gtest.h>

#include <string>

namespace superv::http {
namespace {

using StatusKind = ResponseStatusReader::Result::Kind;

TEST(ResponseStatus, ReadsTheStatusOfACompleteHead) {
    ResponseStatusReader r;
    const auto result = r.feed("HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n");
    EXPECT_EQ(result.kind, StatusKind::Status);
    EXPECT_EQ(result.status, 204);
}

TEST(ResponseStatus, WaitsForTheEndOfTheHeadOneByteAtATime) {
    ResponseStatusReader r;
    const std::string head = "HTTP/1.0 302 Found\r\nLocation: /x\r\n\r\n";
    for (std::size_t i = 0; i + 1 < head.size(); ++i) {
        ASSERT_EQ(r.feed(head.substr(i, 1)).kind, StatusKind::NeedMore) << i;
    }
    const auto result = r.feed(head.substr(head.size() - 1));
    EXPECT_EQ(result.kind, StatusKind::Status);
    EXPECT_EQ(result.status, 302);
}

TEST(ResponseStatus, StopsBeforeTheBody) {
    ResponseStatusReader r;
    const std::string big(1 << 20, 'x');
    auto result = r.feed("HTTP/1.1 500 Oops\r\nContent-Length: 10485760\r\n\r\n" + big);
    EXPECT_EQ(result.kind, StatusKind::Status);
    EXPECT_EQ(result.status, 500);
    // The rest of the body changes nothing.
    EXPECT_EQ(r.feed(big).status, 500);
}

TEST(ResponseStatus, GarbageIsNotAResponse) {
    ResponseStatusReader r;
    const auto result = r.feed("SSH-2.0-OpenSSH_9.2\r\n");
    EXPECT_EQ(result.kind, StatusKind::Error);
    EXPECT_NE(result.reason.find("not an HTTP response"), std::string::npos) << result.reason;
}

TEST(ResponseStatus, AHeadWithoutEndIsBounded) {
    ResponseStatusReader r(1024);
    auto result = r.feed("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 100 && result.kind == StatusKind::NeedMore; ++i) {
        result = r.feed("X-Filler: " + std::string(50, 'a') + "\r\n");
    }
    EXPECT_EQ(result.kind, StatusKind::Error);
    EXPECT_EQ(result.reason, "response head longer than 1024 bytes");
}

TEST(ResponseStatus, ClosedBeforeOrInTheHead) {
    ResponseStatusReader none;
    EXPECT_EQ(none.finish().reason, "connection closed without a response");
    ResponseStatusReader half;
    EXPECT_EQ(half.feed("HTTP/1.1 200 OK\r\nServ").kind, StatusKind::NeedMore);
    EXPECT_EQ(half.finish().reason, "connection closed in the middle of the response head");
    ResponseStatusReader whole;
    EXPECT_EQ(whole.feed("HTTP/1.1 200 OK\r\n\r\n").kind, StatusKind::Status);
    EXPECT_EQ(whole.finish().kind, StatusKind::Status);
}

}  // namespace
}  // namespace superv::http

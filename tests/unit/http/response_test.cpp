// Responses: the bytes written, checked as text and by reading them back with http-parser as a
// client would.
#include "superv/http/response.hpp"

#include <gtest/gtest.h>
#include <http_parser.h>

#include <optional>
#include <string>

namespace superv::http {
namespace {

struct Received {
    bool complete = false;
    int status = 0;
    std::vector<Header> headers;
    std::string body;
    bool keep_alive = false;

    std::optional<std::string> header(std::string_view name) const {
        for (const auto& h : headers)
            if (h.name == name) return h.value;
        return std::nullopt;
    }
};

// Reads a response as a client does; `head_request` as for the answer to a HEAD.
Received receive(std::string_view bytes, bool head_request = false, bool then_eof = false) {
    Received r;
    http_parser parser;
    http_parser_init(&parser, HTTP_RESPONSE);
    parser.data = &r;
    http_parser_settings s;
    http_parser_settings_init(&s);
    s.on_header_field = [](http_parser* p, const char* at, std::size_t n) {
        static_cast<Received*>(p->data)->headers.push_back({std::string(at, n), ""});
        return 0;
    };
    s.on_header_value = [](http_parser* p, const char* at, std::size_t n) {
        static_cast<Received*>(p->data)->headers.back().value.append(at, n);
        return 0;
    };
    s.on_headers_complete = head_request ? [](http_parser*) { return 1; }  // no body follows
                                         : [](http_parser*) { return 0; };
    s.on_body = [](http_parser* p, const char* at, std::size_t n) {
        static_cast<Received*>(p->data)->body.append(at, n);
        return 0;
    };
    s.on_message_complete = [](http_parser* p) {
        auto& r = *static_cast<Received*>(p->data);
        r.complete = true;
        r.status = int(p->status_code);
        r.keep_alive = http_should_keep_alive(p) != 0;
        return 0;
    };
    const std::size_t n = http_parser_execute(&parser, &s, bytes.data(), bytes.size());
    EXPECT_EQ(n, bytes.size()) << http_errno_description(HTTP_PARSER_ERRNO(&parser));
    if (then_eof) http_parser_execute(&parser, &s, nullptr, 0);
    return r;
}

// Each 'A' of shape an uppercase letter, 'a' a lowercase one, '0' a digit, the rest itself.
bool has_shape(std::string_view text, std::string_view shape) {
    if (text.size() != shape.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool ok = shape[i] == 'A'   ? c >= 'A' && c <= 'Z'
                        : shape[i] == 'a' ? c >= 'a' && c <= 'z'
                        : shape[i] == '0' ? c >= '0' && c <= '9'
                                          : c == shape[i];
        if (!ok) return false;
    }
    return true;
}

Request request(std::string method = "GET", int minor = 1, bool keep_alive = true) {
    Request r;
    r.method = std::move(method);
    r.version_minor = minor;
    r.keep_alive = keep_alive;
    return r;
}

TEST(StatusText, NamesTheStatusesTheServerSends) {
    EXPECT_EQ(status_text(200), "OK");
    EXPECT_EQ(status_text(401), "Unauthorized");
    EXPECT_EQ(status_text(404), "Not Found");
    EXPECT_EQ(status_text(413), "Payload Too Large");
    EXPECT_EQ(status_text(414), "URI Too Long");
    EXPECT_EQ(status_text(431), "Request Header Fields Too Large");
    EXPECT_EQ(status_text(503), "Service Unavailable");
    EXPECT_EQ(status_text(505), "HTTP Version Not Supported");
    EXPECT_EQ(status_text(299), "Unknown");
}

TEST(HttpDate, IsTheImfFixdateInGmt) {
    EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(Response, CarriesServerDateTypeAndLength) {
    const std::string bytes = response(request(), 200, "text/xml", "<x/>");
    EXPECT_TRUE(bytes.starts_with("HTTP/1.1 200 OK\r\n")) << bytes;
    EXPECT_TRUE(bytes.ends_with("\r\n\r\n<x/>")) << bytes;
    const Received r = receive(bytes);
    ASSERT_TRUE(r.complete);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Server"), "superv");
    EXPECT_TRUE(has_shape(r.header("Date").value_or(""), "Aaa, 00 Aaa 0000 00:00:00 GMT"))
        << r.header("Date").value_or("(absent)");
    EXPECT_EQ(r.header("Content-Type"), "text/xml");
    EXPECT_EQ(r.header("Content-Length"), "4");
    EXPECT_EQ(r.header("Connection"), std::nullopt);
    EXPECT_TRUE(r.keep_alive);
    EXPECT_EQ(r.body, "<x/>");
}

TEST(Response, WithoutAContentTypeSendsNone) {
    const Received r = receive(response(request(), 204, "", ""));
    EXPECT_EQ(r.header("Content-Type"), std::nullopt);
    EXPECT_EQ(r.header("Content-Length"), "0");
}

TEST(Response, SaysCloseWhenTheConnectionEnds) {
    const Received r = receive(response(request("GET", 1, false), 200, "text/plain", "x"));
    EXPECT_EQ(r.header("Connection"), "close");
    EXPECT_FALSE(r.keep_alive);
}

TEST(Response, KeepsAnHttp10ConnectionOnlyWhenAskedAndSaysSo) {
    EXPECT_EQ(
        receive(response(request("GET", 0, true), 200, "text/plain", "x")).header("Connection"),
        "Keep-Alive");
    EXPECT_EQ(
        receive(response(request("GET", 0, false), 200, "text/plain", "x")).header("Connection"),
        "close");
}

TEST(Response, AddsExtraHeaders) {
    const Received r = receive(response(request(), 405, "text/plain", "no", {{"Allow", "POST"}}));
    EXPECT_EQ(r.header("Allow"), "POST");
}

TEST(Response, ToHeadSendsTheLengthButNoBody) {
    const std::string bytes = response(request("HEAD"), 200, "text/plain", "twelve bytes");
    EXPECT_TRUE(bytes.ends_with("\r\n\r\n"));
    const Received r = receive(bytes, /*head_request=*/true);
    EXPECT_EQ(r.header("Content-Length"), "12");
    EXPECT_EQ(r.body, "");
}

TEST(ErrorResponse, IsASmallHtmlPageNamingTheStatus) {
    const Received r = receive(error_response(request(), 404));
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.header("Content-Type"), "text/html");
    EXPECT_NE(r.body.find("Error code 404."), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("Message: Not Found."), std::string::npos) << r.body;
    EXPECT_TRUE(r.keep_alive);
}

TEST(ErrorResponse, ForAParserErrorClosesTheConnection) {
    const Received r = receive(error_response(431));
    EXPECT_EQ(r.status, 431);
    EXPECT_EQ(r.header("Connection"), "close");
}

TEST(StreamedResponse, IsChunkedToAnHttp11Client) {
    const StreamedResponse stream(request());
    EXPECT_TRUE(stream.keep_alive());
    const std::string head = stream.head(200, "text/plain");
    EXPECT_NE(head.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
    EXPECT_EQ(head.find("Content-Length"), std::string::npos);
    EXPECT_EQ(stream.part("hello"), "5\r\nhello\r\n");
    EXPECT_EQ(stream.part(std::string(26, 'z')), "1a\r\n" + std::string(26, 'z') + "\r\n");
    EXPECT_EQ(stream.part(""), "");
    EXPECT_EQ(stream.end(), "0\r\n\r\n");
    const Received r = receive(head + stream.part("log ") + stream.part("") +
                               stream.part("lines\n") + stream.end());
    ASSERT_TRUE(r.complete);
    EXPECT_EQ(r.body, "log lines\n");
    EXPECT_TRUE(r.keep_alive);
}

TEST(StreamedResponse, ToAnHttp10ClientIsRawAndEndsWithTheConnection) {
    const StreamedResponse stream(request("GET", 0, true));
    EXPECT_FALSE(stream.keep_alive());
    const std::string head = stream.head(200, "text/plain");
    EXPECT_EQ(head.find("Transfer-Encoding"), std::string::npos);
    EXPECT_NE(head.find("Connection: close\r\n"), std::string::npos);
    EXPECT_EQ(stream.part("raw"), "raw");
    EXPECT_EQ(stream.end(), "");
    const Received r = receive(head + stream.part("raw") + stream.end(), false, /*then_eof=*/true);
    ASSERT_TRUE(r.complete);
    EXPECT_EQ(r.body, "raw");
}

TEST(StreamedResponse, ToHeadSendsOnlyTheHead) {
    const StreamedResponse stream(request("HEAD"));
    EXPECT_EQ(stream.part("data"), "");
    EXPECT_EQ(stream.end(), "");
}

TEST(StreamedResponse, SaysCloseWhenTheRequestDid) {
    const StreamedResponse stream(request("GET", 1, false));
    EXPECT_FALSE(stream.keep_alive());
    EXPECT_NE(stream.head(200, "text/plain").find("Connection: close\r\n"), std::string::npos);
}

}  // namespace
}  // namespace superv::http

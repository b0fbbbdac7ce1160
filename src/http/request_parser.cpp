#include "superv/http/request_parser.hpp"

#include <http_parser.h>

#include <algorithm>
#include <string>

#include "ascii.hpp"

namespace superv::http {

// Not in the anonymous namespace: RequestParser::State, which has external
// linkage, holds one (-Wsubobject-linkage in unity builds).
enum class RequestPhase { Head, Body, Complete, Failed };
using Phase = RequestPhase;

namespace {

// How many first bytes of a request are kept to tell a method http-parser does not know (501)
// from bytes that are no HTTP at all (400); the longest method it knows has 11 letters.
constexpr std::size_t kStartBytes = 16;

std::string too_long(std::string_view what, std::size_t limit) {
    return std::string(what) + " longer than " + std::to_string(limit) + " bytes";
}

// RFC 9112 §6.1: only "chunked" is decoded here; any other coding makes the body unreadable.
struct TransferCodings {
    std::size_t count = 0;
    bool chunked_last = false;
};

TransferCodings transfer_codings(const std::vector<Header>& headers) {
    TransferCodings codings;
    for (const auto& h : headers) {
        if (!iequals(h.name, "Transfer-Encoding")) continue;
        std::string_view rest = h.value;
        while (true) {
            const auto comma = rest.find(',');
            const auto coding = trim_whitespace(rest.substr(0, comma));
            if (!coding.empty()) {
                ++codings.count;
                codings.chunked_last = iequals(coding, "chunked");
            }
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return codings;
}

}  // namespace

struct RequestParser::State {
    explicit State(Limits l) : limits(l) { start(); }

    void start() {
        http_parser_init(&parser, HTTP_REQUEST);
        parser.data = this;
        request = {};
        phase = Phase::Head;
        received = 0;
        start_bytes.clear();
        last_was_field = false;
        error_status = 0;
        error_reason.clear();
    }

    // Makes http-parser stop with HPE_CB_*; feed() then reports this status.
    int fail(int status, std::string reason) {
        error_status = status;
        error_reason = std::move(reason);
        return -1;
    }

    int headers_complete();
    int split_target();
    void fail_from_parser(std::size_t failed_at);
    Result error_result(std::size_t consumed) const {
        return {Result::Error, consumed, error_status, error_reason};
    }

    Limits limits;
    http_parser parser;
    Request request;
    Phase phase;
    std::size_t received;     // bytes of this request handed to http-parser
    std::string start_bytes;  // the first kStartBytes of them
    bool last_was_field;      // the last header callback was for a name, not a value
    int error_status;
    std::string error_reason;

    static State& of(http_parser* p) { return *static_cast<State*>(p->data); }
    static int on_url(http_parser* p, const char* at, std::size_t length);
    static int on_header_field(http_parser* p, const char* at, std::size_t length);
    static int on_header_value(http_parser* p, const char* at, std::size_t length);
    static int on_headers_complete(http_parser* p);
    static int on_chunk_header(http_parser* p);
    static int on_body(http_parser* p, const char* at, std::size_t length);
    static int on_message_complete(http_parser* p);
    static const http_parser_settings& settings();
};

int RequestParser::State::on_url(http_parser* p, const char* at, std::size_t length) {
    auto& s = of(p);
    if (s.request.target.size() + length > s.limits.max_target_bytes)
        return s.fail(414, too_long("request target", s.limits.max_target_bytes));
    s.request.target.append(at, length);
    return 0;
}

int RequestParser::State::on_header_field(http_parser* p, const char* at, std::size_t length) {
    auto& s = of(p);
    if (s.phase != Phase::Head) return 0;  // a chunked body's trailer fields: not kept
    auto& headers = s.request.headers;
    if (!s.last_was_field) {
        if (headers.size() == s.limits.max_headers)
            return s.fail(431,
                          "more than " + std::to_string(s.limits.max_headers) + " header fields");
        headers.emplace_back();
    }
    s.last_was_field = true;
    headers.back().name.append(at, length);
    return 0;
}

int RequestParser::State::on_header_value(http_parser* p, const char* at, std::size_t length) {
    auto& s = of(p);
    if (s.phase != Phase::Head || s.request.headers.empty()) return 0;
    s.last_was_field = false;
    s.request.headers.back().value.append(at, length);
    return 0;
}

int RequestParser::State::on_headers_complete(http_parser* p) {
    return of(p).headers_complete();
}

int RequestParser::State::on_chunk_header(http_parser* p) {
    auto& s = of(p);
    // The chunk's announced size, so a huge chunk is refused before its bytes arrive.
    if (p->content_length > s.limits.max_body_bytes - s.request.body.size())
        return s.fail(413, too_long("request body", s.limits.max_body_bytes));
    return 0;
}

int RequestParser::State::on_body(http_parser* p, const char* at, std::size_t length) {
    auto& s = of(p);
    if (length > s.limits.max_body_bytes - s.request.body.size())
        return s.fail(413, too_long("request body", s.limits.max_body_bytes));
    s.request.body.append(at, length);
    return 0;
}

int RequestParser::State::on_message_complete(http_parser* p) {
    of(p).phase = Phase::Complete;
    // Stops http_parser_execute right after this request: a pipelined one waits its turn.
    http_parser_pause(p, 1);
    return 0;
}

const http_parser_settings& RequestParser::State::settings() {
    static const http_parser_settings settings = [] {
        http_parser_settings s;
        http_parser_settings_init(&s);
        s.on_url = on_url;
        s.on_header_field = on_header_field;
        s.on_header_value = on_header_value;
        s.on_headers_complete = on_headers_complete;
        s.on_chunk_header = on_chunk_header;
        s.on_body = on_body;
        s.on_message_complete = on_message_complete;
        return s;
    }();
    return settings;
}

int RequestParser::State::headers_complete() {
    request.version_major = parser.http_major;
    request.version_minor = parser.http_minor;
    if (parser.http_major != 1)
        return fail(505, "HTTP/" + std::to_string(parser.http_major) + "." +
                             std::to_string(parser.http_minor) + " is not supported");
    request.method = http_method_str(static_cast<http_method>(parser.method));
    if (parser.method == HTTP_CONNECT) return fail(501, "CONNECT is not supported (not a proxy)");
    for (auto& h : request.headers) {
        // http-parser as Debian builds it (not strict) lets "Name : value" through; RFC 9112 §5.1
        // refuses it.
        if (h.name.empty() || !std::all_of(h.name.begin(), h.name.end(), is_token_char))
            return fail(400, "malformed header field name");
        h.value = std::string(trim_whitespace(h.value));
    }
    const auto codings = transfer_codings(request.headers);
    if (codings.count > 0 && !codings.chunked_last)
        return fail(400, "Transfer-Encoding does not end with chunked: the body length is unknown");
    if (codings.count > 1) return fail(501, "only the chunked Transfer-Encoding is supported");
    // Refused before the body arrives; an accepted body is not reserved either, so a peer that
    // announces a megabyte and sends nothing holds nothing.
    if ((parser.flags & F_CONTENTLENGTH) && parser.content_length > limits.max_body_bytes)
        return fail(413, too_long("request body", limits.max_body_bytes));
    if (split_target() != 0) return -1;
    request.keep_alive = http_should_keep_alive(&parser) != 0;
    phase = Phase::Body;
    return 0;
}

int RequestParser::State::split_target() {
    std::string_view target = request.target, path, query;
    if (target == "*") {
        path = target;
    } else if (!target.empty() && target.front() == '/') {
        target = target.substr(0, target.find('#'));
        const auto mark = target.find('?');
        path = target.substr(0, mark);
        if (mark != std::string_view::npos) query = target.substr(mark + 1);
    } else {  // absolute-form: "http://host/path?query"
        http_parser_url url;
        http_parser_url_init(&url);
        if (http_parser_parse_url(target.data(), target.size(), 0, &url) != 0)
            return fail(400, "malformed request target");
        const auto field = [&](int f) {
            const auto& d = url.field_data[f];
            return (url.field_set & (1 << f)) ? target.substr(d.off, d.len) : std::string_view{};
        };
        path = field(UF_PATH);
        if (path.empty()) path = "/";
        query = field(UF_QUERY);
    }
    auto decoded = percent_decode(path);
    if (!decoded) return fail(400, "malformed percent-escape in the request path");
    request.path = std::move(*decoded);
    request.query = std::string(query);
    return 0;
}

void RequestParser::State::fail_from_parser(std::size_t failed_at) {
    const auto error = HTTP_PARSER_ERRNO(&parser);
    if (error == HPE_HEADER_OVERFLOW) {
        fail(431, "request head larger than http-parser's limit");
        return;
    }
    if (error == HPE_INVALID_METHOD) {
        // The bytes up to the one http-parser stopped at, the same however the input was split.
        std::string_view seen = std::string_view(start_bytes).substr(0, failed_at + 1);
        while (!seen.empty() && (seen.front() == '\r' || seen.front() == '\n'))
            seen.remove_prefix(1);
        if (!seen.empty() && seen.front() == '\x16') {
            fail(400, "TLS handshake on a plain HTTP listener");
        } else if (seen.starts_with("PRI")) {  // "PRI * HTTP/2.0": a client that knows it's HTTP/2
            fail(400, "HTTP/2 is not supported");
        } else if (!seen.empty() && std::all_of(seen.begin(), seen.end(), [](char c) {
                       return (c >= 'A' && c <= 'Z') || c == '-';
                   })) {
            fail(501, "unknown method");
        } else {
            fail(400, "not an HTTP request");
        }
        return;
    }
    fail(400, http_errno_description(error));
}

RequestParser::RequestParser(Limits limits) : state_(std::make_unique<State>(limits)) {}
RequestParser::~RequestParser() = default;
RequestParser::RequestParser(RequestParser&&) noexcept = default;
RequestParser& RequestParser::operator=(RequestParser&&) noexcept = default;

namespace {

RequestParser::Result progress(RequestParser::Result::Kind kind, std::size_t consumed) {
    RequestParser::Result result;
    result.kind = kind;
    result.consumed = consumed;
    return result;
}

}  // namespace

RequestParser::Result RequestParser::feed(std::string_view data) {
    State& s = *state_;
    if (s.phase == Phase::Complete) return progress(Result::Complete, 0);
    if (s.phase == Phase::Failed) return s.error_result(0);
    std::size_t used = 0;
    while (used < data.size()) {
        std::string_view piece = data.substr(used);
        // The head is handed over no further than its limit, so its size is checked exactly
        // without knowing where in a piece it ends.
        if (s.phase == Phase::Head) piece = piece.substr(0, s.limits.max_head_bytes - s.received);
        if (piece.empty()) {  // http-parser would take zero bytes for the end of the stream
            s.fail(431, too_long("request head", s.limits.max_head_bytes));
        } else {
            if (s.start_bytes.size() < kStartBytes)
                s.start_bytes.append(piece.substr(0, kStartBytes - s.start_bytes.size()));
            const std::size_t n =
                http_parser_execute(&s.parser, &State::settings(), piece.data(), piece.size());
            s.received += n;
            used += n;
            if (s.phase == Phase::Complete) return progress(Result::Complete, used);
            // On an error, n stops at the offending byte.
            if (s.error_status == 0 && HTTP_PARSER_ERRNO(&s.parser) != HPE_OK)
                s.fail_from_parser(s.received);
            if (s.error_status == 0 && s.phase == Phase::Head &&
                s.received == s.limits.max_head_bytes)
                s.fail(431, too_long("request head", s.limits.max_head_bytes));
        }
        if (s.error_status != 0) {
            s.phase = Phase::Failed;
            return s.error_result(used);
        }
    }
    return progress(Result::NeedMore, used);
}

Request RequestParser::take() {
    Request request = std::move(state_->request);
    state_->start();
    return request;
}

bool RequestParser::idle() const {
    return state_->phase == Phase::Head && state_->received == 0;
}

}  // namespace superv::http

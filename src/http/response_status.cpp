#include "superv/http/response_status.hpp"

#include <http_parser.h>

namespace superv::http {

struct ResponseStatusReader::State {
    explicit State(std::size_t max) : max_head_bytes(max) {
        http_parser_settings_init(&settings);
        settings.on_headers_complete = [](http_parser* p) {
            auto* self = static_cast<State*>(p->data);
            self->result = {Result::Status, static_cast<int>(p->status_code), {}};
            // Nothing after the head matters: stop here, before any of the body.
            http_parser_pause(p, 1);
            return 0;
        };
        http_parser_init(&parser, HTTP_RESPONSE);
        parser.data = this;
    }

    std::size_t max_head_bytes;
    std::size_t received = 0;
    http_parser parser{};
    http_parser_settings settings{};
    Result result;
};

ResponseStatusReader::ResponseStatusReader(std::size_t max_head_bytes)
    : state_(std::make_unique<State>(max_head_bytes)) {}
ResponseStatusReader::~ResponseStatusReader() = default;
ResponseStatusReader::ResponseStatusReader(ResponseStatusReader&&) noexcept = default;
ResponseStatusReader& ResponseStatusReader::operator=(ResponseStatusReader&&) noexcept = default;

ResponseStatusReader::Result ResponseStatusReader::feed(std::string_view data) {
    State& s = *state_;
    if (s.result.kind != Result::NeedMore || data.empty()) return s.result;
    // Only what fits the bound is parsed: a head that does not end within it fails.
    const std::size_t room = s.max_head_bytes - s.received;
    const std::string_view part = data.substr(0, room);
    s.received += part.size();
    http_parser_execute(&s.parser, &s.settings, part.data(), part.size());
    const auto err = HTTP_PARSER_ERRNO(&s.parser);
    if (s.result.kind == Result::Status) return s.result;
    if (err != HPE_OK) {
        s.result = {Result::Error, 0,
                    std::string("not an HTTP response: ") + http_errno_description(err)};
    } else if (s.received >= s.max_head_bytes) {
        s.result = {Result::Error, 0,
                    "response head longer than " + std::to_string(s.max_head_bytes) + " bytes"};
    }
    return s.result;
}

ResponseStatusReader::Result ResponseStatusReader::finish() {
    State& s = *state_;
    if (s.result.kind != Result::NeedMore) return s.result;
    s.result = {Result::Error, 0,
                s.received == 0 ? "connection closed without a response"
                                : "connection closed in the middle of the response head"};
    return s.result;
}

}  // namespace superv::http

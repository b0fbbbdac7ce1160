// The incremental HTTP/1.1 request parser: bytes in, Requests out, no socket and no clock. It wraps
// http-parser (the parser Node.js used for a decade) and adds what a server must decide itself:
// the limits that bound its memory, the status each kind of bad input is answered with, and the
// split of the target into a decoded path and a query.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "superv/http/request.hpp"

namespace superv::http {

// Everything a request may make the parser hold is bounded by these: a head is at most
// max_head_bytes and a body at most max_body_bytes, whatever the peer sends.
struct Limits {
    std::size_t max_head_bytes = 16 * 1024;    // request line and header fields, else 431
    std::size_t max_target_bytes = 8 * 1024;   // the request target, else 414
    std::size_t max_body_bytes = 1024 * 1024;  // else 413 (from Content-Length, before reading it)
    std::size_t max_headers = 64;              // header fields, else 431
};

// One per connection. Feed it what arrived; once a request is Complete, take() it. Bytes after a
// complete request (the next, pipelined request) are not consumed: feed them again after the
// request is handled, so requests are answered one at a time and in order.
class RequestParser {
  public:
    struct Result {
        enum Kind {
            NeedMore,  // all of data consumed, the request is not complete yet
            Complete,  // a request is ready for take(); `consumed` bytes of data belong to it
            Error,     // answer error_response(status) and close: the stream cannot be resynced
        };
        Kind kind = NeedMore;
        std::size_t consumed = 0;
        int status = 0;      // for Error: 400, 413, 414, 431, 501 or 505
        std::string reason;  // for Error: what was wrong, for the log
    };

    explicit RequestParser(Limits limits = {});
    ~RequestParser();
    RequestParser(RequestParser&&) noexcept;
    RequestParser& operator=(RequestParser&&) noexcept;

    // After Complete and before take(), and after an Error, feeding consumes nothing and returns
    // the same kind again.
    Result feed(std::string_view data);
    // The complete request; the parser starts over for the next request on the connection.
    Request take();
    // No byte of a request has arrived yet: a keep-alive connection idle here may be closed
    // without answering anything.
    bool idle() const;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace superv::http

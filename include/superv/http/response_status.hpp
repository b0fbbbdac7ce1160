// The status of an HTTP/1.x response, read incrementally from its first bytes: what a health check
// needs (a 2xx or 3xx status passes) and nothing more. It wraps http-parser in response mode and
// stops at the end of the head, so a body of any size is never read; the head itself is bounded.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace superv::http {

class ResponseStatusReader {
  public:
    static constexpr std::size_t kMaxHeadBytes = 16 * 1024;

    struct Result {
        enum Kind {
            NeedMore,  // all of the data consumed, the head is not complete yet
            Status,    // the head is complete: `status` is its status code
            Error,     // not a response this reader accepts: `reason` says why
        };
        Kind kind = NeedMore;
        int status = 0;
        std::string reason;
    };

    explicit ResponseStatusReader(std::size_t max_head_bytes = kMaxHeadBytes);
    ~ResponseStatusReader();
    ResponseStatusReader(ResponseStatusReader&&) noexcept;
    ResponseStatusReader& operator=(ResponseStatusReader&&) noexcept;

    // After Status or Error, feeding returns the same result again.
    Result feed(std::string_view data);
    // The peer closed the connection: an Error unless the head was complete.
    Result finish();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace superv::http

// HTTP/1.1 responses as bytes ready to write. Every response carries `Server: superv`, a `Date`,
// a Content-Length or chunked framing, and `Connection: close` when the connection ends after it
// (`Connection: Keep-Alive` to an HTTP/1.0 client that asked to keep it, as supervisord's medusa).
// Header values given in `extra` must not contain CR or LF.
#pragma once

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "superv/http/request.hpp"

namespace superv::http {

std::string_view status_text(int status);  // 200 -> "OK"; "Unknown" for a code it does not know
std::string http_date(
    std::time_t when);  // "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110's IMF-fixdate)

// A complete response with Content-Length; no content type when content_type is empty. To a HEAD
// request, only the head (with the length the body would have).
std::string response(const Request& request, int status, std::string_view content_type,
                     std::string_view body, const std::vector<Header>& extra = {});

// A small text/html page naming the status, like supervisord's, for a request that was parsed.
std::string error_response(const Request& request, int status,
                           const std::vector<Header>& extra = {});
// The same for RequestParser's Error, which leaves no request to answer: the connection closes.
std::string error_response(int status);

// A response whose body is written as it is produced (`supervisorctl tail -f`): chunked to an
// HTTP/1.1 client; to an HTTP/1.0 client, which cannot read chunks, the bytes as they are, the end
// of the body being the end of the connection.
class StreamedResponse {
  public:
    explicit StreamedResponse(const Request& request);

    std::string head(int status, std::string_view content_type,
                     const std::vector<Header>& extra = {}) const;
    std::string part(std::string_view data) const;  // "" for no data (an empty chunk would end it)
    std::string end() const;                        // the last chunk
    // The connection may carry the next request after end(); else close it after end().
    bool keep_alive() const { return keep_alive_; }

  private:
    bool chunked_;
    bool keep_alive_;
    bool head_only_;
};

}  // namespace superv::http

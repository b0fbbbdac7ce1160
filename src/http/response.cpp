#include "superv/http/response.hpp"

#include <http_parser.h>

#include <array>
#include <charconv>
#include <cstdio>

namespace superv::http {
namespace {

bool http10(const Request& request) {
    return request.version_major == 1 && request.version_minor == 0;
}

std::string head_of(int status, bool keep_alive, bool http10, std::string_view content_type,
                    std::string_view framing, const std::vector<Header>& extra) {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " ";
    out += status_text(status);
    out += "\r\nServer: superv\r\nDate: ";
    out += http_date(std::time(nullptr));
    out += "\r\n";
    if (!content_type.empty()) {
        out += "Content-Type: ";
        out += content_type;
        out += "\r\n";
    }
    out += framing;
    if (!keep_alive) {
        out += "Connection: close\r\n";
    } else if (http10) {
        // An HTTP/1.0 connection closes after each response unless the server says otherwise.
        out += "Connection: Keep-Alive\r\n";
    }
    for (const auto& h : extra) {
        out += h.name;
        out += ": ";
        out += h.value;
        out += "\r\n";
    }
    out += "\r\n";
    return out;
}

std::string error_page(int status) {
    const std::string code = std::to_string(status);
    std::string page = "<html>\r\n<head><title>Error response</title></head>\r\n<body>\r\n";
    page += "<h1>Error response</h1>\r\n<p>Error code " + code + ".</p>\r\n<p>Message: ";
    page += status_text(status);
    page += ".</p>\r\n</body>\r\n</html>\r\n";
    return page;
}

}  // namespace

std::string_view status_text(int status) {
    const std::string_view text = http_status_str(static_cast<http_status>(status));
    return text == "<unknown>" ? "Unknown" : text;
}

std::string http_date(std::time_t when) {
    // Formatted by hand: strftime's %a and %b follow the locale, HTTP's names do not.
    static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                         "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    gmtime_r(&when, &tm);
    char text[40];
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return text;
}

std::string response(const Request& request, int status, std::string_view content_type,
                     std::string_view body, const std::vector<Header>& extra) {
    std::string out = head_of(status, request.keep_alive, http10(request), content_type,
                              "Content-Length: " + std::to_string(body.size()) + "\r\n", extra);
    if (request.method != "HEAD") out += body;
    return out;
}

std::string error_response(const Request& request, int status, const std::vector<Header>& extra) {
    return response(request, status, "text/html", error_page(status), extra);
}

std::string error_response(int status) {
    Request unparsed;
    unparsed.keep_alive = false;
    return error_response(unparsed, status);
}

StreamedResponse::StreamedResponse(const Request& request)
    : chunked_(!http10(request)),
      keep_alive_(request.keep_alive && chunked_),
      head_only_(request.method == "HEAD") {}

std::string StreamedResponse::head(int status, std::string_view content_type,
                                   const std::vector<Header>& extra) const {
    return head_of(status, keep_alive_, !chunked_, content_type,
                   chunked_ ? "Transfer-Encoding: chunked\r\n" : "", extra);
}

std::string StreamedResponse::part(std::string_view data) const {
    if (data.empty() || head_only_) return {};
    if (!chunked_) return std::string(data);
    char size[20];
    const auto end = std::to_chars(size, size + sizeof size, data.size(), 16).ptr;
    std::string out(size, end);
    out += "\r\n";
    out += data;
    out += "\r\n";
    return out;
}

std::string StreamedResponse::end() const {
    if (!chunked_ || head_only_) return {};
    return "0\r\n\r\n";
}

}  // namespace superv::http

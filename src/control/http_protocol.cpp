#include "superv/control/http_protocol.hpp"

#include <spdlog/spdlog.h>

#include "superv/http/basic_auth.hpp"
#include "superv/http/response.hpp"

namespace superv::control {

class HttpSession : public Session {
  public:
    HttpSession(Link link, std::shared_ptr<HttpHandler> handler, const HttpCredentials& credentials,
                const http::Limits& limits)
        : link_(link),
          handler_(std::move(handler)),
          credentials_(credentials),
          parser_(limits),
          // While a handler works, a pipelining client may send at most one
          // more whole request before it is cut off.
          max_buffered_(limits.max_head_bytes + limits.max_body_bytes) {
        arm(Timer::Idle);
    }

    void received(std::string_view bytes) override {
        if (closing_) return;
        if (in_.size() + bytes.size() > max_buffered_) {
            spdlog::debug("HTTP: a client sent more than {} bytes ahead; dropped", max_buffered_);
            closing_ = true;
            return link_.drop();
        }
        in_.append(bytes);
        if (!busy_) pump();
    }

    void deadline() override {
        timer_ = Timer::None;
        if (busy_ || closing_) return;
        closing_ = true;
        if (parser_.idle() && in_.empty()) return link_.finish();  // idle keep-alive: just close
        link_.send(http::error_response(408));
        link_.finish();
    }

    void answered(bool keep_alive) {
        busy_ = false;
        if (!keep_alive) {
            closing_ = true;
            return link_.finish();
        }
        pump();
    }

  private:
    enum class Timer { None, Idle, Request };

    // One deadline at a time: a request's runs from its first byte, not from
    // each fragment, so a client dripping bytes still times out.
    void arm(Timer kind) {
        if (kind == timer_) return;
        timer_ = kind;
        if (kind == Timer::None) return link_.set_deadline(std::nullopt);
        link_.set_deadline(
            kind == Timer::Idle
                ? std::chrono::duration_cast<loop::Clock::duration>(kHttpIdleTimeout)
                : std::chrono::duration_cast<loop::Clock::duration>(kHttpRequestTimeout));
    }

    // Parses and dispatches requests until one is in the works, the input
    // runs out, or the connection is closing. Answers given while a handler
    // runs come back here through answered(): the loop below then goes on.
    void pump() {
        if (pumping_) return;
        pumping_ = true;
        while (!busy_ && !closing_) {
            if (in_.empty()) {
                arm(parser_.idle() ? Timer::Idle : Timer::Request);
                break;
            }
            const auto r = parser_.feed(in_);
            in_.erase(0, r.consumed);
            if (r.kind == http::RequestParser::Result::NeedMore) continue;
            if (r.kind == http::RequestParser::Result::Error) {
                spdlog::debug("HTTP: bad request ({}): {}", r.status, r.reason);
                closing_ = true;
                link_.send(http::error_response(r.status));
                link_.finish();
                break;
            }
            dispatch(parser_.take());
        }
        pumping_ = false;
    }

    void dispatch(const http::Request& request) {
        arm(Timer::None);
        busy_ = true;
        const HttpReply reply(link_, this);
        if (!credentials_.username.empty() && !credentials_.password.empty()) {
            switch (http::check_basic_auth(request, credentials_.username, credentials_.password)) {
                case http::Auth::Granted:
                    break;
                case http::Auth::Denied:
                    return reply.respond(http::unauthorized_response(request), request.keep_alive);
                case http::Auth::Malformed:
                    return reply.respond(http::error_response(request, 400), request.keep_alive);
            }
        }
        handler_->handle(request, reply);
    }

    Link link_;
    std::shared_ptr<HttpHandler> handler_;
    const HttpCredentials& credentials_;
    http::RequestParser parser_;
    std::size_t max_buffered_;
    std::string in_;  // received, not yet parsed
    Timer timer_ = Timer::None;
    bool busy_ = false;  // a request is being answered
    bool pumping_ = false;
    bool closing_ = false;
};

void HttpReply::respond(std::string bytes, bool keep_alive) const {
    if (!link_.connected()) return;
    link_.send(std::move(bytes));
    session_->answered(keep_alive);
}

void HttpReply::stream(std::string bytes) const {
    link_.send(std::move(bytes));
}

HttpProtocol::HttpProtocol(std::shared_ptr<HttpHandler> handler, HttpCredentials credentials,
                           http::Limits limits)
    : handler_(std::move(handler)), credentials_(std::move(credentials)), limits_(limits) {}

std::unique_ptr<Session> HttpProtocol::open(Link link, const Peer&) {
    return std::make_unique<HttpSession>(link, handler_, credentials_, limits_);
}

std::string HttpProtocol::busy_reply() const {
    return http::error_response(503);
}

std::string HttpProtocol::refused_reply(const Peer&) const {
    return http::error_response(403);
}

}  // namespace superv::control

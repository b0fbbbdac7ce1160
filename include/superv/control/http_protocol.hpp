// HTTP/1.1 framing on the connection layer: requests parsed as they arrive
// (http::RequestParser), checked against the listener's basic-auth
// credentials, handed to one HttpHandler, and answered in order on a
// keep-alive connection. A handler may answer at once, later (a `start` that
// waits), or stream (`tail -f`).
//
// Deadlines: a request must arrive whole within kRequestTimeout of its first
// byte (408 otherwise); an idle keep-alive connection is closed after
// kIdleTimeout (long, because supervisorctl's shell keeps its connection
// between commands). No deadline while a handler is working or streaming.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "superv/control/connections.hpp"
#include "superv/http/request.hpp"
#include "superv/http/request_parser.hpp"

namespace superv::control {

inline constexpr std::chrono::seconds kHttpRequestTimeout{10};
inline constexpr std::chrono::minutes kHttpIdleTimeout{30};

class HttpSession;

// The answer to one request. Copyable; every call is a no-op once the
// connection is gone.
class HttpReply {
  public:
    HttpReply() = default;
    HttpReply(Link link, HttpSession* session) : link_(link), session_(session) {}

    // A whole response (http::response, error_response, ...): the connection
    // moves on to the next request, or closes when `keep_alive` is false.
    void respond(std::string bytes, bool keep_alive) const;
    // A streamed response: the head and each part as they come, then end()
    // (or the client hangs up).
    void stream(std::string bytes) const;
    void end(std::string last, bool keep_alive) const { respond(std::move(last), keep_alive); }
    bool connected() const { return link_.connected(); }
    std::size_t pending_output() const { return link_.pending_output(); }

  private:
    Link link_;
    HttpSession* session_ = nullptr;
};

class HttpHandler {
  public:
    virtual ~HttpHandler() = default;
    // Called for each authorised request; answers through `reply`, now or later.
    virtual void handle(const http::Request& request, const HttpReply& reply) = 0;
};

struct HttpCredentials {
    std::string username;  // basic auth when both are set
    std::string password;  // plain, or "{SHA}" + sha1 hex
};

class HttpProtocol : public Protocol {
  public:
    HttpProtocol(std::shared_ptr<HttpHandler> handler, HttpCredentials credentials,
                 http::Limits limits = {});

    std::unique_ptr<Session> open(Link link, const Peer& peer) override;
    std::string busy_reply() const override;
    std::string refused_reply(const Peer& peer) const override;

  private:
    std::shared_ptr<HttpHandler> handler_;
    HttpCredentials credentials_;
    http::Limits limits_;
};

}  // namespace superv::control

// The native control protocol's framing (docs/protocol.md): a client writes
// one request, a JSON object on one line, and reads the reply, JSON objects
// one per line, until the daemon closes the connection.
//
// Bounded: kMaxRequestBytes per request and kRequestTimeout to send it; the
// connection layer (connections.hpp) bounds clients and queued output.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "superv/control/connections.hpp"
#include "superv/control/protocol.hpp"

namespace superv::control {

inline constexpr std::chrono::seconds kRequestTimeout{10};

// Where a reply goes. Copyable; harmless (a no-op) once the client is gone.
class Responder {
  public:
    Responder() = default;
    explicit Responder(Link link) : link_(link) {}

    // Queues one JSON line.
    void send(const Json& line) const;
    // Closes the connection once everything queued has been written.
    void finish() const { link_.finish(); }
    // Sends `line`, then finishes: the usual single reply.
    void reply(const Json& line) const {
        send(line);
        finish();
    }
    // False once the client hung up or the connection was closed.
    bool connected() const { return link_.connected(); }

  private:
    Link link_;
};

class JsonLinesProtocol : public Protocol {
  public:
    using Dispatch = std::function<void(const Request&, const Responder&)>;
    explicit JsonLinesProtocol(Dispatch dispatch) : dispatch_(std::move(dispatch)) {}

    std::unique_ptr<Session> open(Link link, const Peer& peer) override;
    std::string busy_reply() const override;
    std::string refused_reply(const Peer& peer) const override;

  private:
    Dispatch dispatch_;
};

}  // namespace superv::control

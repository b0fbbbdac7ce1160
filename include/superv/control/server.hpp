// The control socket, served by the daemon's own loop: accept, read and write
// are requests to the backend (SQEs on io_uring), no extra thread.
//
// One request per connection. Peers are checked with SO_PEERCRED at accept:
// root, the daemon's own uid, or a member of `socket_group`. Bounded: at most
// kMaxClients connections, kMaxRequestBytes per request, kRequestTimeout to
// send it, and kMaxPendingOutput queued for a client that does not read.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "superv/common/result.hpp"
#include "superv/control/protocol.hpp"
#include "superv/loop/backend.hpp"
#include "superv/sys/fd.hpp"

namespace superv::control {

inline constexpr std::size_t kMaxClients = 256;
inline constexpr std::chrono::seconds kRequestTimeout{10};
inline constexpr std::size_t kMaxPendingOutput = 4 * 1024 * 1024;

class ControlServer;

// Where a reply goes. Copyable; harmless (a no-op) once the client is gone.
class Responder {
  public:
    Responder() = default;
    Responder(ControlServer* server, std::uint32_t slot, std::uint32_t gen)
        : server_(server), slot_(slot), gen_(gen) {}

    // Queues one JSON line.
    void send(const Json& line) const;
    // Closes the connection once everything queued has been written.
    void finish() const;
    // Sends `line`, then finishes: the usual single reply.
    void reply(const Json& line) const {
        send(line);
        finish();
    }
    // False once the client hung up or the connection was dropped.
    bool connected() const;

  private:
    ControlServer* server_ = nullptr;
    std::uint32_t slot_ = 0;
    std::uint32_t gen_ = 0;
};

struct SocketAccess {
    mode_t mode = 0600;
    std::optional<gid_t> group;  // socket_group: its members may connect
};

class ControlServer {
  public:
    using Dispatch = std::function<void(const Request&, const Responder&)>;

    ControlServer(loop::Backend& backend, Dispatch dispatch);
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    // Creates the socket at `path` (refusing when another daemon answers
    // there, replacing a stale one) and starts accepting.
    Result<void> listen(const std::string& path, const SocketAccess& access);
    // Stops accepting and removes the socket file.
    void close();

    // Routes completions of kind ControlAccept / ControlRead / ControlWrite / ControlTimer.
    void handle(const loop::Completion& completion);

    std::size_t clients() const;

  private:
    friend class Responder;
    struct Connection;

    void arm_accept();
    void on_accept(int result);
    void on_read(Connection& c, int result);
    void on_write(Connection& c, int result);
    void on_request(Connection& c, std::string_view line);
    void start_write(Connection& c);
    void send(std::uint32_t slot, std::uint32_t gen, const Json& line);
    void finish(std::uint32_t slot, std::uint32_t gen);
    void drop(Connection& c);
    void release_if_idle(Connection& c);
    bool peer_allowed(const ucred& peer, int fd) const;
    Connection* live(std::uint32_t slot, std::uint32_t gen);
    loop::Tag tag(loop::TagKind kind, const Connection& c) const;

    loop::Backend& backend_;
    Dispatch dispatch_;
    sys::Fd listen_fd_;
    std::string path_;
    SocketAccess access_;
    std::vector<std::unique_ptr<Connection>> slots_;
    std::uint32_t gen_counter_ = 0;
    bool accepting_ = false;
    bool closed_ = false;
};

}  // namespace superv::control

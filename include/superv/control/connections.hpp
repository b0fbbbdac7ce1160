// The daemon's connections, on its own loop: listening sockets (unix and
// TCP), accepted connections, their buffers, deadlines and credentials. It
// knows nothing of what is said on them: each listener has a Protocol that
// makes a Session per connection (JSON lines for the control socket, HTTP
// for supervisord's XML-RPC), and the session gets the bytes that arrive
// and answers through its Link.
//
// Accept, read and write are requests to the backend (SQEs on io_uring), no
// thread per connection. Bounded: at most kMaxConnections at once (the next
// one gets the protocol's "busy" answer and is closed), kReadChunk bytes
// read at a time, and kMaxPendingOutput queued for a peer that does not
// read (beyond it the connection is dropped). Unix peers are checked with
// SO_PEERCRED at accept against the socket's SocketAccess.
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
#include "superv/loop/backend.hpp"
#include "superv/sys/fd.hpp"

namespace superv::control {

inline constexpr std::size_t kMaxConnections = 1024;
inline constexpr std::size_t kReadChunk = 4096;
inline constexpr std::size_t kMaxPendingOutput = 4 * 1024 * 1024;

// Who is on the other end.
struct Peer {
    bool unix_socket = true;
    ucred cred{static_cast<pid_t>(0), static_cast<uid_t>(-1), static_cast<gid_t>(-1)};  // unix
    std::string address;  // TCP: "127.0.0.1:51234"; unix: ""
};

// Who may connect to a unix socket: root and superv's own uid always, the
// socket's owner and members of its group when set, and nobody else even
// where the mode would let them connect (0666): the peer check is a second
// lock behind the file mode.
struct SocketAccess {
    mode_t mode = 0600;
    std::optional<uid_t> owner;  // chown()ed to this user
    std::optional<gid_t> group;  // chown()ed to this group: its members may connect
};

class ConnectionPool;

// A session's handle on its connection. Copyable; every call is a no-op once
// the connection is gone, so a late reply (a stop that took 10 s) to a
// client that hung up is harmless.
class Link {
  public:
    Link() = default;
    Link(ConnectionPool* pool, std::uint32_t slot, std::uint32_t gen)
        : pool_(pool), slot_(slot), gen_(gen) {}

    // Queues bytes for the peer (a string with nothing queued before it is
    // taken over, not copied: a 1 MiB XML-RPC reply is not copied again).
    void send(std::string bytes) const;
    // Closes the connection once everything queued is written.
    void finish() const;
    // Closes it now, dropping what is queued.
    void drop() const;
    // Arms the connection's one timer (replacing any), or cancels it.
    void set_deadline(std::optional<loop::Clock::duration> after) const;
    // False once the peer hung up or the connection was dropped.
    bool connected() const;
    // Bytes queued and not yet written.
    std::size_t pending_output() const;

  private:
    ConnectionPool* pool_ = nullptr;
    std::uint32_t slot_ = 0;
    std::uint32_t gen_ = 0;
};

// What is said on one connection.
class Session {
  public:
    virtual ~Session() = default;
    // Bytes arrived (never empty).
    virtual void received(std::string_view bytes) = 0;
    // The timer set with Link::set_deadline expired.
    virtual void deadline() = 0;
    // The peer hung up (or the connection failed): nothing more arrives, and
    // what is still queued is not written. The session is destroyed later.
    virtual void closed() {}
};

// A listener's language: a session per accepted connection, and what to
// answer to a connection that is refused.
class Protocol {
  public:
    virtual ~Protocol() = default;
    virtual std::unique_ptr<Session> open(Link link, const Peer& peer) = 0;
    // Sent before closing a connection turned away because kMaxConnections
    // are open.
    virtual std::string busy_reply() const = 0;
    // Sent before closing a unix peer that SocketAccess does not allow.
    virtual std::string refused_reply(const Peer& peer) const = 0;
};

class ConnectionPool {
  public:
    explicit ConnectionPool(loop::Backend& backend);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // Creates a unix socket at `path` with `access` (refusing when another
    // daemon answers there, replacing a stale file) and serves `protocol` on it.
    Result<void> listen_unix(const std::string& path, const SocketAccess& access,
                             std::shared_ptr<Protocol> protocol);
    // Listens on TCP `host:port` ("" = every IPv4 interface) and serves `protocol`.
    Result<void> listen_tcp(const std::string& host, int port, std::shared_ptr<Protocol> protocol);
    // Stops accepting everywhere and removes the unix socket files; open
    // connections stay until they end.
    void close_listeners();

    // Routes completions of kind ControlAccept / ControlRead / ControlWrite / ControlTimer.
    void handle(const loop::Completion& completion);

    std::size_t connections() const;
    // True while some connection still has bytes to write.
    bool writing() const;

  private:
    friend class Link;
    struct Listener;
    struct Connection;

    Result<void> add_listener(sys::Fd fd, std::string unlink_path,
                              std::optional<SocketAccess> access,
                              std::shared_ptr<Protocol> protocol);
    void arm_accept(Listener& l);
    void on_accept(Listener& l, int result);
    void arm_read(Connection& c);
    void on_read(Connection& c, int result);
    void on_write(Connection& c, int result);
    void start_write(Connection& c);
    void send(Connection& c, std::string bytes);
    void finish(Connection& c);
    void drop(Connection& c);
    void set_deadline(Connection& c, std::optional<loop::Clock::duration> after);
    void release_if_idle(Connection& c);
    void resume_accepting();
    void turn_away(sys::Fd fd, const std::string& reply);
    Connection* live(std::uint32_t slot, std::uint32_t gen);
    loop::Tag tag(loop::TagKind kind, const Connection& c) const;

    loop::Backend& backend_;
    std::vector<std::unique_ptr<Listener>> listeners_;
    std::vector<std::unique_ptr<Connection>> slots_;
    std::uint32_t gen_counter_ = 0;
    bool closed_ = false;
};

// Whether a unix peer may use a socket with `access` (SO_PEERGROUPS for the
// peer's supplementary groups, as the kernel saw them at connect()).
bool peer_allowed(const ucred& peer, int fd, const SocketAccess& access);

}  // namespace superv::control

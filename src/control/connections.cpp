#include "superv/control/connections.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "superv/common/memory.hpp"

namespace superv::control {

using loop::TagKind;

namespace {
// After the last reply is written: how long to wait for the peer to close
// its side before closing ours (see on_write).
constexpr std::chrono::seconds kLinger{2};
}  // namespace

struct ConnectionPool::Listener {
    std::uint32_t index = 0;
    sys::Fd fd;
    std::string unlink_path;             // unix: removed when the listener closes
    std::optional<SocketAccess> access;  // unix: who may connect
    std::shared_ptr<Protocol> protocol;
    bool accepting = false;
    bool closed = false;
};

struct ConnectionPool::Connection {
    std::uint32_t slot = 0;
    std::uint32_t gen = 0;
    sys::Fd fd;
    Peer peer;
    std::unique_ptr<Session> session;
    std::array<std::byte, kReadChunk> rbuf{};
    std::string writing;  // handed to the backend, from `written` on
    std::size_t written = 0;
    std::string queued;  // waiting for the current write to finish
    bool read_pending = false;
    bool write_pending = false;
    std::uint32_t timer_gen = 0;  // tag generation of the armed timer (0: none)
    int timers_in_flight = 0;     // armed or cancelled, not yet completed
    int in_session = 0;           // inside a Session callback: not released meanwhile
    bool finishing = false;       // close once `writing` and `queued` are out
    bool lingering = false;       // all written, our side shut: waiting for the peer's EOF
    bool dropped = false;
};

void Link::send(std::string bytes) const {
    if (auto* c = pool_ ? pool_->live(slot_, gen_) : nullptr) pool_->send(*c, std::move(bytes));
}
void Link::finish() const {
    if (auto* c = pool_ ? pool_->live(slot_, gen_) : nullptr) pool_->finish(*c);
}
void Link::drop() const {
    if (auto* c = pool_ ? pool_->live(slot_, gen_) : nullptr) pool_->drop(*c);
}
void Link::set_deadline(std::optional<loop::Clock::duration> after) const {
    if (auto* c = pool_ ? pool_->live(slot_, gen_) : nullptr) pool_->set_deadline(*c, after);
}
bool Link::connected() const {
    return pool_ != nullptr && pool_->live(slot_, gen_) != nullptr;
}
std::size_t Link::pending_output() const {
    auto* c = pool_ ? pool_->live(slot_, gen_) : nullptr;
    return c ? c->writing.size() - c->written + c->queued.size() : 0;
}

ConnectionPool::ConnectionPool(loop::Backend& backend) : backend_(backend) {}

ConnectionPool::~ConnectionPool() {
    close_listeners();
}

std::size_t ConnectionPool::connections() const {
    return static_cast<std::size_t>(
        std::count_if(slots_.begin(), slots_.end(), [](const auto& c) { return c != nullptr; }));
}

bool ConnectionPool::writing() const {
    return std::any_of(slots_.begin(), slots_.end(), [](const auto& c) {
        return c != nullptr && c->write_pending && !c->dropped;
    });
}

loop::Tag ConnectionPool::tag(TagKind kind, const Connection& c) const {
    return loop::Tag{kind, c.slot, kind == TagKind::ControlTimer ? c.timer_gen : c.gen};
}

ConnectionPool::Connection* ConnectionPool::live(std::uint32_t slot, std::uint32_t gen) {
    if (slot >= slots_.size() || !slots_[slot]) return nullptr;
    Connection* c = slots_[slot].get();
    return (c->gen == gen && !c->dropped && !c->finishing) ? c : nullptr;
}

Result<void> ConnectionPool::add_listener(sys::Fd fd, std::string unlink_path,
                                          std::optional<SocketAccess> access,
                                          std::shared_ptr<Protocol> protocol) {
    auto l = std::make_unique<Listener>();
    l->index = static_cast<std::uint32_t>(listeners_.size());
    l->fd = std::move(fd);
    l->unlink_path = std::move(unlink_path);
    l->access = access;
    l->protocol = std::move(protocol);
    listeners_.push_back(std::move(l));
    closed_ = false;
    arm_accept(*listeners_.back());
    return Ok{};
}

void ConnectionPool::arm_accept(Listener& l) {
    l.accepting = true;
    backend_.accept(loop::Tag{TagKind::ControlAccept, l.index, 0}, l.fd.get());
}

void ConnectionPool::resume_accepting() {
    for (auto& l : listeners_) {
        if (!l->accepting && !l->closed) arm_accept(*l);
    }
}

void ConnectionPool::close_listeners() {
    closed_ = true;
    for (auto& l : listeners_) {
        if (l->closed) continue;
        l->closed = true;
        if (l->accepting) backend_.cancel(loop::Tag{TagKind::ControlAccept, l->index, 0});
        if (!l->unlink_path.empty()) ::unlink(l->unlink_path.c_str());
        // The fd stays open until the pending accept is gone (the backend may
        // still refer to it); it closes with the pool.
    }
}

void ConnectionPool::turn_away(sys::Fd fd, const std::string& reply) {
    [[maybe_unused]] auto n = ::send(fd.get(), reply.data(), reply.size(), MSG_DONTWAIT);
}

void ConnectionPool::on_accept(Listener& l, int result) {
    l.accepting = false;
    if (l.closed) return;
    if (result < 0) {
        if (result == -ECANCELED) return;
        // EMFILE and the like: accepting again at once would spin; resume
        // when a connection has been released.
        spdlog::error("{}: accept: {}", l.unlink_path.empty() ? "HTTP listener" : l.unlink_path,
                      std::strerror(-result));
        return;
    }
    sys::Fd fd(result);
    arm_accept(l);
    auto it = std::find(slots_.begin(), slots_.end(), nullptr);
    if (it == slots_.end()) {
        if (slots_.size() >= kMaxConnections) {
            // Full: this one is turned away at once, the others keep going.
            return turn_away(std::move(fd), l.protocol->busy_reply());
        }
        it = slots_.insert(slots_.end(), nullptr);
    }
    Peer peer;
    peer.unix_socket = l.access.has_value();
    if (peer.unix_socket) {
        socklen_t len = sizeof peer.cred;
        if (::getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &peer.cred, &len) != 0) {
            peer.cred.uid = static_cast<uid_t>(-1);
        }
        if (!peer_allowed(peer.cred, fd.get(), *l.access)) {
            spdlog::warn("{}: refused uid {} (pid {})", l.unlink_path, peer.cred.uid,
                         peer.cred.pid);
            return turn_away(std::move(fd), l.protocol->refused_reply(peer));
        }
    } else {
        sockaddr_storage addr{};
        socklen_t len = sizeof addr;
        char host[64] = "?";
        int port = 0;
        if (::getpeername(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
            if (addr.ss_family == AF_INET) {
                auto* in = reinterpret_cast<sockaddr_in*>(&addr);
                ::inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
                port = ntohs(in->sin_port);
            } else if (addr.ss_family == AF_INET6) {
                auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
                ::inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
                port = ntohs(in6->sin6_port);
            }
        }
        peer.address = std::string(host) + ":" + std::to_string(port);
    }

    auto conn = std::make_unique<Connection>();
    conn->slot = static_cast<std::uint32_t>(it - slots_.begin());
    conn->gen = ++gen_counter_;
    conn->fd = std::move(fd);
    conn->peer = peer;
    Connection& c = *conn;
    *it = std::move(conn);
    ++c.in_session;
    c.session = l.protocol->open(Link(this, c.slot, c.gen), c.peer);
    --c.in_session;
    if (!c.dropped) arm_read(c);
    release_if_idle(c);
}

void ConnectionPool::arm_read(Connection& c) {
    c.read_pending = true;
    backend_.read(tag(TagKind::ControlRead, c), c.fd.get(), c.rbuf);
}

void ConnectionPool::on_read(Connection& c, int result) {
    if (c.dropped) return;
    if (result <= 0) {
        // Hung up (or reset): whatever it asked for goes on without it.
        if (!c.finishing && c.session) {
            ++c.in_session;
            c.session->closed();
            --c.in_session;
        }
        return drop(c);
    }
    if (!c.finishing) {
        ++c.in_session;
        c.session->received(std::string_view(reinterpret_cast<const char*>(c.rbuf.data()),
                                             static_cast<std::size_t>(result)));
        --c.in_session;
    }
    // Keep reading: a hang-up must be noticed (it ends a `tail -f`), and
    // while lingering what comes is read and discarded.
    if (!c.dropped) arm_read(c);
}

void ConnectionPool::start_write(Connection& c) {
    c.write_pending = true;
    auto rest = std::string_view(c.writing).substr(c.written);
    backend_.write(tag(TagKind::ControlWrite, c), c.fd.get(), std::as_bytes(std::span(rest)));
}

void ConnectionPool::on_write(Connection& c, int result) {
    if (c.dropped) return;
    if (result < 0) {
        if (c.session && !c.finishing) {
            ++c.in_session;
            c.session->closed();
            --c.in_session;
        }
        return drop(c);
    }
    c.written += static_cast<std::size_t>(result);
    if (c.written < c.writing.size()) return start_write(c);
    c.writing.clear();
    c.written = 0;
    if (!c.queued.empty()) {
        std::swap(c.writing, c.queued);
        return start_write(c);
    }
    if (c.finishing && !c.lingering) {
        // Everything is out. Closing now could reset the connection while the
        // peer still sends (a request body we refused): its kernel would then
        // throw away the reply it has not read yet. So our side is shut, and
        // the peer's EOF (or a short deadline) ends the connection.
        c.lingering = true;
        ::shutdown(c.fd.get(), SHUT_WR);
        set_deadline(c, kLinger);
    }
}

void ConnectionPool::send(Connection& c, std::string bytes) {
    if (bytes.empty()) return;
    if (c.queued.empty()) {
        c.queued = std::move(bytes);
    } else {
        c.queued.append(bytes);
    }
    if (c.queued.size() + c.writing.size() - c.written > kMaxPendingOutput) {
        spdlog::warn(
            "connection from {}: the peer does not read its replies; dropped",
            c.peer.unix_socket ? "pid " + std::to_string(c.peer.cred.pid) : c.peer.address);
        return drop(c);
    }
    if (!c.write_pending) {
        std::swap(c.writing, c.queued);
        c.written = 0;
        start_write(c);
    }
}

void ConnectionPool::finish(Connection& c) {
    c.finishing = true;
    if (!c.write_pending) {
        // Nothing in flight: as if the last write had just completed.
        c.lingering = true;
        ::shutdown(c.fd.get(), SHUT_WR);
        set_deadline(c, kLinger);
    }
}

void ConnectionPool::drop(Connection& c) {
    if (c.dropped) return;
    c.dropped = true;
    if (c.read_pending) backend_.cancel(tag(TagKind::ControlRead, c));
    if (c.write_pending) backend_.cancel(tag(TagKind::ControlWrite, c));
    if (c.timer_gen != 0) backend_.cancel(tag(TagKind::ControlTimer, c));
    c.timer_gen = 0;
    release_if_idle(c);
}

void ConnectionPool::set_deadline(Connection& c, std::optional<loop::Clock::duration> after) {
    if (c.timer_gen != 0) backend_.cancel(tag(TagKind::ControlTimer, c));
    c.timer_gen = 0;
    if (!after) return;
    c.timer_gen = ++gen_counter_;
    ++c.timers_in_flight;
    backend_.timer(tag(TagKind::ControlTimer, c), loop::Clock::now() + *after);
}

// The kernel may still use a connection's buffers until each of its requests
// has completed; only then is it freed (and its fd closed).
void ConnectionPool::release_if_idle(Connection& c) {
    if (!c.dropped || c.read_pending || c.write_pending || c.timers_in_flight > 0 ||
        c.in_session > 0) {
        return;
    }
    slots_[c.slot].reset();
    if (!closed_) resume_accepting();
    // The last client gone: what its replies used (a status of 100 processes
    // is some 250 KiB of JSON) goes back rather than stay resident.
    if (std::none_of(slots_.begin(), slots_.end(), [](const auto& s) { return s != nullptr; })) {
        return_freed_memory();
    }
}

void ConnectionPool::handle(const loop::Completion& done) {
    if (done.tag.kind == TagKind::ControlAccept) {
        if (done.tag.slot < listeners_.size()) on_accept(*listeners_[done.tag.slot], done.result);
        return;
    }
    if (done.tag.slot >= slots_.size() || !slots_[done.tag.slot]) return;
    Connection& c = *slots_[done.tag.slot];
    switch (done.tag.kind) {
        case TagKind::ControlRead:
            if (c.gen != done.tag.gen) return;
            c.read_pending = false;
            on_read(c, done.result);
            break;
        case TagKind::ControlWrite:
            if (c.gen != done.tag.gen) return;
            c.write_pending = false;
            on_write(c, done.result);
            break;
        case TagKind::ControlTimer:
            --c.timers_in_flight;
            if (done.tag.gen == c.timer_gen && done.result == 0 && !c.dropped) {
                c.timer_gen = 0;
                if (c.lingering) {
                    drop(c);
                } else if (!c.finishing) {
                    ++c.in_session;
                    c.session->deadline();
                    --c.in_session;
                }
            }
            break;
        default:
            return;
    }
    if (slots_[done.tag.slot]) release_if_idle(*slots_[done.tag.slot]);
}

}  // namespace superv::control

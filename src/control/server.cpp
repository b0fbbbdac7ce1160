#include "superv/control/server.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "superv/common/memory.hpp"

namespace superv::control {

using loop::TagKind;

struct ControlServer::Connection {
    std::uint32_t slot = 0;
    std::uint32_t gen = 0;
    sys::Fd fd;
    ucred peer{};
    std::array<std::byte, 4096> rbuf{};
    std::string in;       // request bytes so far
    std::string writing;  // handed to the backend, from `written` on
    std::size_t written = 0;
    std::string queued;  // waiting for the current write to finish
    bool read_pending = false;
    bool write_pending = false;
    bool timer_pending = false;
    bool have_request = false;
    bool finishing = false;
    bool dropped = false;
    // After refusing an oversized request: read and discard until the
    // client stops sending, so that closing does not reset the connection
    // before it has read the refusal.
    bool discard_input = false;
};

void Responder::send(const Json& line) const {
    if (server_ != nullptr) server_->send(slot_, gen_, line);
}
void Responder::finish() const {
    if (server_ != nullptr) server_->finish(slot_, gen_);
}
bool Responder::connected() const {
    return server_ != nullptr && server_->live(slot_, gen_) != nullptr;
}

ControlServer::ControlServer(loop::Backend& backend, Dispatch dispatch)
    : backend_(backend), dispatch_(std::move(dispatch)) {}

ControlServer::~ControlServer() {
    close();
}

std::size_t ControlServer::clients() const {
    return static_cast<std::size_t>(
        std::count_if(slots_.begin(), slots_.end(), [](const auto& c) { return c != nullptr; }));
}

loop::Tag ControlServer::tag(TagKind kind, const Connection& c) const {
    return loop::Tag{kind, c.slot, c.gen};
}

ControlServer::Connection* ControlServer::live(std::uint32_t slot, std::uint32_t gen) {
    if (slot >= slots_.size() || !slots_[slot]) return nullptr;
    Connection* c = slots_[slot].get();
    return (c->gen == gen && !c->dropped) ? c : nullptr;
}

void ControlServer::arm_accept() {
    accepting_ = true;
    backend_.accept(loop::Tag{TagKind::ControlAccept, 0, 0}, listen_fd_.get());
}

void ControlServer::on_accept(int result) {
    if (result < 0) {
        if (result == -ECANCELED) return;
        // EMFILE and the like: accepting again at once would spin; resume
        // when a connection has been released.
        spdlog::error("control socket: accept: {}", std::strerror(-result));
        accepting_ = false;
        return;
    }
    sys::Fd fd(result);
    auto it = std::find(slots_.begin(), slots_.end(), nullptr);
    if (it == slots_.end()) {
        if (slots_.size() >= kMaxClients) {
            // Full: this client is turned away at once, the others keep going.
            static const char kBusy[] =
                "{\"error\":\"too many clients\",\"kind\":\"busy\",\"ok\":false}\n";
            [[maybe_unused]] auto n = ::send(fd.get(), kBusy, sizeof kBusy - 1, MSG_DONTWAIT);
            arm_accept();
            return;
        }
        it = slots_.insert(slots_.end(), nullptr);
    }
    auto conn = std::make_unique<Connection>();
    conn->slot = static_cast<std::uint32_t>(it - slots_.begin());
    conn->gen = ++gen_counter_;
    conn->fd = std::move(fd);
    socklen_t len = sizeof conn->peer;
    if (::getsockopt(conn->fd.get(), SOL_SOCKET, SO_PEERCRED, &conn->peer, &len) != 0) {
        conn->peer.uid = static_cast<uid_t>(-1);
    }
    Connection& c = *conn;
    *it = std::move(conn);
    arm_accept();

    if (!peer_allowed(c.peer, c.fd.get())) {
        spdlog::warn("control socket: refused uid {} (pid {})", c.peer.uid, c.peer.pid);
        Responder(this, c.slot, c.gen)
            .reply(error_reply("refused", "permission denied: uid " + std::to_string(c.peer.uid) +
                                              " may not control this superv"));
        return;
    }
    c.read_pending = true;
    backend_.read(tag(TagKind::ControlRead, c), c.fd.get(), c.rbuf);
    c.timer_pending = true;
    backend_.timer(tag(TagKind::ControlTimer, c), loop::Clock::now() + kRequestTimeout);
}

void ControlServer::on_read(Connection& c, int result) {
    if (c.dropped) return;
    if (result <= 0) {  // hung up (or reset): whatever it asked for goes on without it
        drop(c);
        return;
    }
    if (c.discard_input) {
        c.read_pending = true;
        backend_.read(tag(TagKind::ControlRead, c), c.fd.get(), c.rbuf);
        return;
    }
    if (!c.have_request) {
        c.in.append(reinterpret_cast<const char*>(c.rbuf.data()), static_cast<std::size_t>(result));
        const auto nl = c.in.find('\n');
        if (nl != std::string::npos) {
            c.have_request = true;
            if (c.timer_pending) backend_.cancel(tag(TagKind::ControlTimer, c));
            std::string line = c.in.substr(0, nl);
            c.in.clear();
            c.in.shrink_to_fit();
            const auto slot = c.slot, gen = c.gen;
            on_request(c, line);
            if (slots_[slot] == nullptr || slots_[slot]->gen != gen) return;  // released
        } else if (c.in.size() > kMaxRequestBytes) {
            c.discard_input = true;
            c.in.clear();
            c.in.shrink_to_fit();
            Responder(this, c.slot, c.gen)
                .reply(error_reply(
                    "usage", "request larger than " + std::to_string(kMaxRequestBytes) + " bytes"));
            c.read_pending = true;
            backend_.read(tag(TagKind::ControlRead, c), c.fd.get(), c.rbuf);
            return;
        }
    }
    // Keep reading: bytes after the request are ignored, but a hang-up must
    // be noticed (it ends a `tail -f`).
    if (!c.dropped && !c.finishing) {
        c.read_pending = true;
        backend_.read(tag(TagKind::ControlRead, c), c.fd.get(), c.rbuf);
    }
}

void ControlServer::on_request(Connection& c, std::string_view line) {
    std::string error;
    auto request = parse_request(line, &error);
    Responder responder(this, c.slot, c.gen);
    if (!request) {
        responder.reply(error_reply("usage", error));
        return;
    }
    dispatch_(*request, responder);
}

void ControlServer::start_write(Connection& c) {
    c.write_pending = true;
    auto rest = std::string_view(c.writing).substr(c.written);
    backend_.write(tag(TagKind::ControlWrite, c), c.fd.get(), std::as_bytes(std::span(rest)));
}

void ControlServer::on_write(Connection& c, int result) {
    if (c.dropped) return;
    if (result < 0) {
        drop(c);
        return;
    }
    c.written += static_cast<std::size_t>(result);
    if (c.written < c.writing.size()) return start_write(c);
    c.writing.clear();
    c.written = 0;
    if (!c.queued.empty()) {
        std::swap(c.writing, c.queued);
        return start_write(c);
    }
    if (!c.finishing) return;
    if (c.discard_input) {
        // Reading goes on until the client's EOF or the request deadline.
        ::shutdown(c.fd.get(), SHUT_WR);
        return;
    }
    drop(c);
}

void ControlServer::send(std::uint32_t slot, std::uint32_t gen, const Json& line) {
    Connection* c = live(slot, gen);
    if (c == nullptr || c->finishing) return;
    c->queued += line.dump(-1, ' ', false, Json::error_handler_t::replace);
    c->queued += '\n';
    if (c->queued.size() > kMaxPendingOutput) {
        spdlog::warn("control socket: client (pid {}) does not read its replies; dropped",
                     c->peer.pid);
        return drop(*c);
    }
    if (!c->write_pending) {
        std::swap(c->writing, c->queued);
        c->written = 0;
        start_write(*c);
    }
}

void ControlServer::finish(std::uint32_t slot, std::uint32_t gen) {
    Connection* c = live(slot, gen);
    if (c == nullptr) return;
    c->finishing = true;
    if (!c->write_pending && c->queued.empty()) drop(*c);
}

void ControlServer::drop(Connection& c) {
    if (c.dropped) return;
    c.dropped = true;
    if (c.read_pending) backend_.cancel(tag(TagKind::ControlRead, c));
    if (c.write_pending) backend_.cancel(tag(TagKind::ControlWrite, c));
    if (c.timer_pending) backend_.cancel(tag(TagKind::ControlTimer, c));
    release_if_idle(c);
}

// The kernel may still use a connection's buffers until each of its requests
// has completed; only then is it freed (and its fd closed).
void ControlServer::release_if_idle(Connection& c) {
    if (!c.dropped || c.read_pending || c.write_pending || c.timer_pending) return;
    slots_[c.slot].reset();
    if (!accepting_ && listen_fd_.valid() && !closed_) arm_accept();
    // The last client gone: what its replies used (a status of 100 processes
    // is some 250 KiB of JSON nodes) goes back rather than stay resident.
    if (std::none_of(slots_.begin(), slots_.end(), [](const auto& s) { return s != nullptr; })) {
        return_freed_memory();
    }
}

void ControlServer::handle(const loop::Completion& done) {
    if (done.tag.kind == TagKind::ControlAccept) {
        if (listen_fd_.valid() && !closed_) on_accept(done.result);
        return;
    }
    if (done.tag.slot >= slots_.size() || !slots_[done.tag.slot]) return;
    Connection& c = *slots_[done.tag.slot];
    if (c.gen != done.tag.gen) return;
    switch (done.tag.kind) {
        case TagKind::ControlRead:
            c.read_pending = false;
            on_read(c, done.result);
            break;
        case TagKind::ControlWrite:
            c.write_pending = false;
            on_write(c, done.result);
            break;
        case TagKind::ControlTimer:
            c.timer_pending = false;
            if (done.result == 0 && c.discard_input) {
                drop(c);
            } else if (done.result == 0 && !c.have_request && !c.dropped) {
                Responder(this, c.slot, c.gen)
                    .reply(error_reply("usage", "no request received in time"));
            }
            break;
        default:
            break;
    }
    if (slots_[done.tag.slot]) release_if_idle(*slots_[done.tag.slot]);
}

}  // namespace superv::control

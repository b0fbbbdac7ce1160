#include "superv/control/json_lines.hpp"

namespace superv::control {

namespace {

std::string line(const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

class JsonSession : public Session {
  public:
    JsonSession(Link link, const JsonLinesProtocol::Dispatch& dispatch)
        : link_(link), dispatch_(dispatch) {
        link_.set_deadline(kRequestTimeout);
    }

    void received(std::string_view bytes) override {
        // Bytes after the request are ignored (the connection layer keeps
        // reading so that a hang-up is noticed: it ends a `tail -f`).
        if (have_request_) return;
        in_.append(bytes);
        const auto nl = in_.find('\n');
        if (nl == std::string::npos) {
            if (in_.size() > kMaxRequestBytes) {
                have_request_ = true;
                in_ = std::string();
                Responder(link_).reply(error_reply(
                    "usage", "request larger than " + std::to_string(kMaxRequestBytes) + " bytes"));
            }
            return;
        }
        have_request_ = true;
        link_.set_deadline(std::nullopt);
        std::string text = in_.substr(0, nl);
        in_ = std::string();
        std::string error;
        auto request = parse_request(text, &error);
        if (!request) return Responder(link_).reply(error_reply("usage", error));
        dispatch_(*request, Responder(link_));
    }

    void deadline() override {
        if (!have_request_) {
            have_request_ = true;
            Responder(link_).reply(error_reply("usage", "no request received in time"));
        }
    }

  private:
    Link link_;
    const JsonLinesProtocol::Dispatch& dispatch_;
    std::string in_;  // request bytes so far
    bool have_request_ = false;
};

}  // namespace

void Responder::send(const Json& j) const {
    link_.send(line(j));
}

std::unique_ptr<Session> JsonLinesProtocol::open(Link link, const Peer&) {
    return std::make_unique<JsonSession>(link, dispatch_);
}

std::string JsonLinesProtocol::busy_reply() const {
    return line(error_reply("busy", "too many clients"));
}

std::string JsonLinesProtocol::refused_reply(const Peer& peer) const {
    return line(error_reply("refused", "permission denied: uid " + std::to_string(peer.cred.uid) +
                                           " may not control this superv"));
}

}  // namespace superv::control

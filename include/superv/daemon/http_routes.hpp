// What superv's HTTP server serves (interface.md, "HTTP endpoint"):
// supervisord's XML-RPC at POST /RPC2, and the streams supervisorctl's
// `tail -f` and `maintail -f` read, GET /logtail/NAME[/stderr] and
// /mainlogtail. One handler for every HTTP listener; each listener's
// protocol checks its own credentials first.
#pragma once

#include <memory>

#include "superv/control/http_protocol.hpp"

namespace superv::daemon {

class DaemonLoop;
namespace rpc {
class Dispatcher;
}

class HttpRoutes : public control::HttpHandler {
  public:
    explicit HttpRoutes(DaemonLoop& daemon);
    ~HttpRoutes() override;

    void handle(const http::Request& request, const control::HttpReply& reply) override;

  private:
    void rpc2(const http::Request& request, const control::HttpReply& reply);
    void logtail(const http::Request& request, const control::HttpReply& reply);
    void mainlogtail(const http::Request& request, const control::HttpReply& reply);

    DaemonLoop& daemon_;
    std::unique_ptr<rpc::Dispatcher> dispatcher_;
};

}  // namespace superv::daemon

#include "superv/daemon/http_routes.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "rpc/rpc.hpp"
#include "superv/daemon/daemon_loop.hpp"
#include "superv/http/response.hpp"
#include "superv/log/log_file_reader.hpp"
#include "superv/log/logging.hpp"

namespace superv::daemon {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// What a tail stream starts with: the end of the file, as supervisord's
// tail_f_producer (its last 1024 bytes).
constexpr std::int64_t kTailHead = 1024;

std::string file_start(const std::string& path) {
    return log::read_log(path, -kTailHead, 0).bytes;
}

std::vector<http::Header> tail_headers(const std::string& path) {
    std::vector<http::Header> headers{{"X-Accel-Buffering", "no"}};
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        headers.push_back({"Last-Modified", http::http_date(st.st_mtime)});
    }
    return headers;
}

}  // namespace

HttpRoutes::HttpRoutes(DaemonLoop& daemon)
    : daemon_(daemon), dispatcher_(std::make_unique<rpc::Dispatcher>(daemon)) {}

HttpRoutes::~HttpRoutes() = default;

void HttpRoutes::handle(const http::Request& request, const control::HttpReply& reply) {
    // supervisord's handlers match by prefix, in this order.
    if (starts_with(request.path, "/RPC2")) return rpc2(request, reply);
    if (starts_with(request.path, "/logtail")) return logtail(request, reply);
    if (starts_with(request.path, "/mainlogtail")) return mainlogtail(request, reply);
    reply.respond(http::error_response(request, 404), request.keep_alive);
}

void HttpRoutes::rpc2(const http::Request& request, const control::HttpReply& reply) {
    if (request.method != "POST") {
        return reply.respond(http::error_response(request, 400), request.keep_alive);
    }
    auto parsed = xmlrpc::parse_call(request.body);
    if (auto* error = std::get_if<xmlrpc::ParseError>(&parsed)) {
        spdlog::debug("XML-RPC: request refused: {}", error->message);
        return reply.respond(http::error_response(request, 400), request.keep_alive);
    }
    const auto& call = std::get<xmlrpc::MethodCall>(parsed);
    spdlog::debug("XML-RPC: {}", call.method);
    // The request is gone by the time a waiting method answers: keep what the
    // answer needs.
    const bool keep_alive = request.keep_alive;
    auto respond_to = std::make_shared<http::Request>();
    respond_to->version_major = request.version_major;
    respond_to->version_minor = request.version_minor;
    respond_to->method = request.method;
    respond_to->keep_alive = keep_alive;
    dispatcher_->call(call, [reply, respond_to, keep_alive](rpc::Outcome outcome) {
        std::string body = std::holds_alternative<xmlrpc::Fault>(outcome)
                               ? xmlrpc::encode_fault(std::get<xmlrpc::Fault>(outcome))
                               : xmlrpc::encode_response(std::get<xmlrpc::Value>(outcome));
        reply.respond(http::response(*respond_to, 200, "text/xml", body), keep_alive);
    });
}

// GET /logtail/NAME[/stdout|/stderr]: the end of the process's log, then
// everything it writes, until the client hangs up.
void HttpRoutes::logtail(const http::Request& request, const control::HttpReply& reply) {
    const auto not_found = [&] {
        reply.respond(http::error_response(request, 404), request.keep_alive);
    };
    if (request.method != "GET") {
        return reply.respond(http::error_response(request, 400), request.keep_alive);
    }
    std::string_view rest =
        std::string_view(request.path).substr(std::string_view("/logtail").size());
    while (!rest.empty() && rest.front() == '/')
        rest.remove_prefix(1);
    std::string_view name = rest, channel = "stdout";
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        name = rest.substr(0, slash);
        channel = rest.substr(slash + 1);
    }
    if (channel != "stdout" && channel != "stderr") return not_found();
    auto found = rpc::one_process(daemon_, name);
    if (std::holds_alternative<xmlrpc::Fault>(found)) return not_found();
    core::Process& p = *std::get<core::Process*>(found);
    log::OutputChannel* out = p.output.stream(channel == "stdout" ? log::ProcessOutput::kStdout
                                                                  : log::ProcessOutput::kStderr);
    struct stat st {};
    if (out == nullptr || ::stat(out->path().c_str(), &st) != 0) return not_found();

    const http::StreamedResponse framing(request);
    reply.stream(framing.head(200, "text/plain;charset=utf-8", tail_headers(out->path())));
    reply.stream(framing.part(file_start(out->path())));
    out->follow([reply, framing](std::string_view chunk) {
        if (!reply.connected()) return false;
        if (chunk.empty()) {  // the process left the table: the stream ends
            reply.end(framing.end(), framing.keep_alive());
            return false;
        }
        reply.stream(framing.part(chunk));
        return true;
    });
}

void HttpRoutes::mainlogtail(const http::Request& request, const control::HttpReply& reply) {
    if (request.method != "GET") {
        return reply.respond(http::error_response(request, 400), request.keep_alive);
    }
    const std::string path = log::file_path();
    struct stat st {};
    if (path.empty() || ::stat(path.c_str(), &st) != 0) {
        return reply.respond(http::error_response(request, 404), request.keep_alive);
    }
    const http::StreamedResponse framing(request);
    reply.stream(framing.head(200, "text/plain;charset=utf-8", tail_headers(path)));
    reply.stream(framing.part(file_start(path)));
    log::follow([reply, framing](std::string_view chunk) {
        if (!reply.connected()) return false;
        reply.stream(framing.part(chunk));
        return true;
    });
}

}  // namespace superv::daemon

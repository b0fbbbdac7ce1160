#include "superv/control/protocol.hpp"

#include <array>

namespace superv::control {

namespace {
constexpr std::array<std::string_view, 11> kCommands = {
    "status", "start", "stop",     "restart", "signal", "reload",
    "update", "pid",   "shutdown", "version", "tail",
};

bool known_command(std::string_view cmd) {
    for (auto c : kCommands) {
        if (c == cmd) return true;
    }
    return false;
}
}  // namespace

std::optional<Request> parse_request(std::string_view line, std::string* error) {
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        *error = "request is not valid JSON";
        return std::nullopt;
    }
    if (!j.is_object()) {
        *error = "request must be a JSON object";
        return std::nullopt;
    }
    Request r;
    try {
        if (!j.contains("cmd") || !j["cmd"].is_string()) {
            *error = "request needs \"cmd\" (a string)";
            return std::nullopt;
        }
        r.cmd = j["cmd"].get<std::string>();
        if (!known_command(r.cmd)) {
            *error = "unknown command \"" + r.cmd + "\"";
            return std::nullopt;
        }
        if (j.contains("names")) r.names = j["names"].get<std::vector<std::string>>();
        if (j.contains("signal")) r.signal = j["signal"].get<std::string>();
        if (j.contains("stream")) r.stream = j["stream"].get<std::string>();
        if (j.contains("bytes")) {
            // get<uint64_t> would wrap -1 around silently.
            if (!j["bytes"].is_number_unsigned()) throw Json::type_error::create(302, "", nullptr);
            r.bytes = j["bytes"].get<std::uint64_t>();
        }
        if (j.contains("follow")) r.follow = j["follow"].get<bool>();
    } catch (const Json::exception&) {
        *error = "request field of the wrong type";
        return std::nullopt;
    }
    if (r.stream != "stdout" && r.stream != "stderr") {
        *error = "\"stream\" must be stdout or stderr";
        return std::nullopt;
    }
    return r;
}

Json to_json(const Request& r) {
    Json j = {{"cmd", r.cmd}};
    if (!r.names.empty()) j["names"] = r.names;
    if (!r.signal.empty()) j["signal"] = r.signal;
    if (r.cmd == "tail") {
        j["stream"] = r.stream;
        j["bytes"] = r.bytes;
        j["follow"] = r.follow;
    }
    return j;
}

Json error_reply(std::string_view kind, std::string_view message) {
    return Json{{"ok", false}, {"kind", kind}, {"error", message}};
}

}  // namespace superv::control

// [superv.http]: the addresses superv's HTTP server (supervisord's XML-RPC,
// /logtail, /metrics, ...) listens on, and the basic-auth credentials every
// listener checks.
#include <sys/un.h>

#include <algorithm>
#include <cctype>
#include <variant>

#include "table_reader.hpp"
#include "tables.hpp"

namespace superv::config::detail {
namespace {

struct HttpDraft {
    std::vector<HttpListener> listeners;
    std::string username;
    std::string password;
};

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// "HOST:PORT", "[V6]:PORT", "*:PORT" or ":PORT" (every interface: host ""),
// or an error message. Host names are lowercased, as supervisord does.
std::variant<HttpListener, std::string> parse_tcp(std::string_view text) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return "must be HOST:PORT (e.g. \"127.0.0.1:9001\", \"*:9001\") or a unix socket path "
               "containing \"/\"";
    }
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
        if (host.empty()) return "has an empty IPv6 address in brackets";
    } else if (host.find_first_of("[]:") != std::string_view::npos) {
        return "has an IPv6 address without brackets; write it as \"[::1]:9001\"";
    } else if (host == "*") {
        host = {};
    }
    if (host.find_first_of(" \t\n") != std::string_view::npos) return "has a space in its host";
    auto port = parse_port(port_text);
    if (!port) return "needs a port between 1 and 65535 after the last \":\"";
    HttpListener listener;
    listener.kind = HttpListener::Kind::Tcp;
    for (unsigned char c : host)
        listener.host.push_back(static_cast<char>(std::tolower(c)));
    listener.port = *port;
    return listener;
}

// Two listeners that cannot both be bound: the same address, or a port
// taken on every interface and again on one of them.
std::optional<std::string> clash(const HttpListener& a, const HttpListener& b) {
    if (a.kind != b.kind) return std::nullopt;
    if (listen_address(a) == listen_address(b)) {
        return quote(listen_address(b)) + " is already listed at " + a.pos.to_string();
    }
    if (a.kind == HttpListener::Kind::Tcp && a.port == b.port &&
        (a.host.empty() || b.host.empty())) {
        return quote(listen_address(b)) + " clashes with " + quote(listen_address(a)) + " at " +
               a.pos.to_string() + ": every interface already includes port " +
               std::to_string(a.port);
    }
    return std::nullopt;
}

// One entry of `listen`, or nullopt after reporting why not.
std::optional<HttpListener> read_address(const Field& field, const toml::node& entry) {
    const SourcePos pos = field.ctx.diag.at(entry.source());
    auto error = [&](const std::string& message) {
        field.ctx.diag.error(pos, message);
        return std::nullopt;
    };
    const auto text = entry.value_exact<std::string>();
    if (!text)
        return error("every entry of \"listen\" must be a string, not " + type_phrase(entry));
    if (text->empty()) return error("an entry of \"listen\" must not be empty");
    if (!check_no_nul(field, entry, *text)) return std::nullopt;
    HttpListener listener;
    if (text->find('/') != std::string::npos) {
        listener.path = field.ctx.resolve(*text);
        constexpr std::size_t kMax = sizeof(sockaddr_un{}.sun_path) - 1;  // and its NUL
        if (listener.path.size() > kMax) {
            return error("unix socket path " + quote(listener.path) + " is " +
                         std::to_string(listener.path.size()) + " bytes; the limit is " +
                         std::to_string(kMax));
        }
    } else {
        auto parsed = parse_tcp(*text);
        if (auto* message = std::get_if<std::string>(&parsed)) {
            return error("listen address " + quote(*text) + " " + *message);
        }
        listener = std::get<HttpListener>(std::move(parsed));
    }
    listener.pos = pos;
    return listener;
}

void read_listen(HttpDraft& draft, const Field& field) {
    const toml::array* array = field.node.as_array();
    if (!array) {
        field.wrong_type(
            "an array of addresses like [\"127.0.0.1:9001\", \"/run/superv-http.sock\"]");
        return;
    }
    for (const toml::node& entry : *array) {
        auto listener = read_address(field, entry);
        if (!listener) continue;
        const auto earlier =
            std::find_if(draft.listeners.begin(), draft.listeners.end(),
                         [&](const HttpListener& e) { return clash(e, *listener); });
        if (earlier != draft.listeners.end()) {
            field.ctx.diag.error(listener->pos, *clash(*earlier, *listener));
        } else {
            draft.listeners.push_back(std::move(*listener));
        }
    }
}

void read_username(HttpDraft& draft, const Field& field) {
    auto name = read_string(field);
    if (!name) return;
    if (name->find(':') != std::string::npos) {
        field.error("\"username\" must not contain \":\" (basic auth ends the name at the first)");
        return;
    }
    draft.username = std::move(*name);
}

void read_password(HttpDraft& draft, const Field& field) {
    auto password = read_string(field);
    if (!password) return;
    constexpr std::string_view kSha = "{SHA}";
    if (password->starts_with(kSha)) {
        std::string_view digest = std::string_view(*password).substr(kSha.size());
        if (digest.size() != 40 || !std::all_of(digest.begin(), digest.end(), is_hex)) {
            field.error(
                "\"password\" starting with \"{SHA}\" must go on with the 40 hex digits of "
                "a SHA-1 digest (as `echo -n secret | sha1sum` prints)");
            return;
        }
    }
    draft.password = std::move(*password);
}

constexpr KeyReader<HttpDraft> kHttpKeys[] = {
    {"listen", read_listen},
    {"username", read_username},
    {"password", read_password},
};

// Credentials are basic auth's pair: one without the other would either
// lock everyone out or look protected while it is not.
void check_pair(const toml::table& table, Diagnostics& diag) {
    const toml::node* username = table.get("username");
    const toml::node* password = table.get("password");
    if (username && !password) {
        diag.error(username->source(), "\"username\" needs a \"password\" in [superv.http]");
    } else if (password && !username) {
        diag.error(password->source(), "\"password\" needs a \"username\" in [superv.http]");
    }
}

}  // namespace

std::string listen_address(const HttpListener& listener) {
    if (listener.kind == HttpListener::Kind::Unix) return listener.path;
    std::string host = listener.host;
    if (host.empty() || host == "*") {
        host = "*";
    } else if (host.find(':') != std::string::npos) {
        host = "[" + host + "]";
    }
    return host + ":" + std::to_string(listener.port);
}

std::optional<std::vector<HttpListener>> read_http(const Field& field) {
    const toml::table* table = field.node.as_table();
    if (!table) {
        field.wrong_type("a table ([superv.http])");
        return std::nullopt;
    }
    HttpDraft draft;
    read_keys<HttpDraft>(*table, kHttpKeys, draft, field.ctx, "[superv.http]");
    check_pair(*table, field.ctx.diag);
    for (HttpListener& listener : draft.listeners) {
        listener.username = draft.username;
        listener.password = draft.password;
    }
    return draft.listeners;
}

void apply_socket_options(DaemonConfig& daemon) {
    for (HttpListener& listener : daemon.http) {
        if (listener.kind != HttpListener::Kind::Unix) continue;
        listener.mode = daemon.socket_mode.value_or(0600);
        listener.group = daemon.socket_group;
    }
}

}  // namespace superv::config::detail

// [unix_http_server] and [inet_http_server]: where superv serves
// supervisord's XML-RPC interface, as supervisorctl expects to find it.
#include "../accounts.hpp"
#include "py_values.hpp"
#include "sections.hpp"

namespace superv::config::detail::ini {
namespace {

constexpr std::string_view kUnixOptions[] = {"file", "chmod", "chown", "username", "password"};
constexpr std::string_view kInetOptions[] = {"port", "username", "password"};

// username and password: both or neither, as supervisord insists.
void read_credentials(SectionReader& r, const Names& names, HttpListener& listener) {
    auto username = r.text("username", names);
    auto password = r.text("password", names);
    if (username.has_value() != password.has_value()) {
        r.ctx().errors.error(r.section().pos, r.title() + " sets " +
                                                  (username ? "a username but no password"
                                                            : "a password but no username") +
                                                  "; supervisord needs both or neither");
        return;
    }
    listener.username = username.value_or("");
    listener.password = password.value_or("");
}

// "user" or "user:group", each a name or a number.
void read_chown(SectionReader& r, const Names& names, HttpListener& listener) {
    const IniOption* option = r.option("chown");
    if (!option) return;
    auto text = r.expanded(*option, names);
    if (!text) return;
    const std::size_t colon = text->find(':');
    std::string problem;
    auto user = find_user(text->substr(0, colon), problem);
    if (!user) {
        r.error(*option, "\"chown\" of " + r.title() + ": " + problem);
        return;
    }
    listener.owner = user->name;
    if (colon == std::string::npos) return;
    auto group = find_group(text->substr(colon + 1), problem);
    if (!group) {
        r.error(*option, "\"chown\" of " + r.title() + ": " + problem);
        return;
    }
    listener.group = group->name;
}

}  // namespace

HttpListener read_unix_http_server(IniContext& ctx, const IniSection& section) {
    SectionReader r(ctx, section);
    const Names names = ctx.all_environ_names();
    HttpListener listener;
    listener.kind = HttpListener::Kind::Unix;
    listener.pos = section.pos;
    listener.mode = 0700;
    if (const IniOption* file = r.option("file")) {
        if (auto text = r.expanded(*file, names)) {
            std::string path(py_strip(*text));
            if (path.empty()) {
                r.error(*file, "\"file\" of " + r.title() + " must not be empty");
            } else {
                listener.path = normalize_path(resolve_in(file->value.here, expand_user(path)));
            }
        }
    } else {
        ctx.errors.error(section.pos, r.title() + " has no \"file\"");
    }
    if (const IniOption* chmod = r.option("chmod")) {
        auto mode = r.value_of(*chmod, names, std::optional<long long>{}, py_octal,
                               "an octal mode like 0700");
        if (mode && (*mode < 0 || *mode > 07777)) {
            r.error(*chmod, "\"chmod\" must be between 0 and 07777");
        } else if (mode) {
            listener.mode = static_cast<mode_t>(*mode);
        }
    }
    read_chown(r, names, listener);
    read_credentials(r, names, listener);
    r.warn_unknown(kUnixOptions);
    return listener;
}

HttpListener read_inet_http_server(IniContext& ctx, const IniSection& section) {
    SectionReader r(ctx, section);
    const Names names = ctx.all_environ_names();
    HttpListener listener;
    listener.kind = HttpListener::Kind::Tcp;
    listener.pos = section.pos;
    if (const IniOption* port = r.option("port")) {
        if (auto text = r.expanded(*port, names)) {
            std::string why;
            if (auto address = inet_address(*text, why)) {
                listener.host = address->first;
                listener.port = address->second;
            } else {
                r.error(*port, "\"port\" of " + r.title() + ": " + why);
            }
        }
    } else {
        ctx.errors.error(section.pos, r.title() + " has no \"port\"");
    }
    read_credentials(r, names, listener);
    r.warn_unknown(kInetOptions);
    return listener;
}

}  // namespace superv::config::detail::ini

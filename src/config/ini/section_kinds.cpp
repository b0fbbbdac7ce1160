// Which kind of section a header names, and whether a file is supervisord's
// INI at all.
#include "py_values.hpp"
#include "reader.hpp"
#include "sections.hpp"
#include "superv/config/supervisord.hpp"

namespace superv::config {
namespace detail::ini {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

SectionKind section_kind(std::string_view name) {
    if (name == "supervisord") return SectionKind::Supervisord;
    if (name == "superv") return SectionKind::Superv;
    if (name == "include") return SectionKind::Include;
    if (name == "supervisorctl") return SectionKind::Supervisorctl;
    if (starts_with(name, "program:")) return SectionKind::Program;
    if (starts_with(name, "group:")) return SectionKind::Group;
    // supervisord takes every section whose name starts so as a server.
    if (starts_with(name, "unix_http_server")) return SectionKind::UnixHttp;
    if (starts_with(name, "inet_http_server")) return SectionKind::InetHttp;
    if (starts_with(name, "rpcinterface:")) return SectionKind::RpcInterface;
    if (starts_with(name, "eventlistener:")) return SectionKind::EventListener;
    if (starts_with(name, "fcgi-program:")) return SectionKind::FcgiProgram;
    if (starts_with(name, "ctlplugin:")) return SectionKind::CtlPlugin;
    return SectionKind::Unknown;
}

std::optional<std::string> section_suffix_name(IniContext& ctx, const IniSection& section) {
    const std::string_view raw = std::string_view(section.name).substr(section.name.find(':') + 1);
    std::string name(py_strip(raw));
    const std::size_t bad = name.find_first_of(" :/");
    if (bad == std::string::npos) return name;
    ctx.errors.error(section.pos, "[" + section.name + "]: the name " + quote(name) +
                                      " must not contain " + quote(name.substr(bad, 1)));
    return std::nullopt;
}

}  // namespace detail::ini

bool looks_like_supervisord(std::string_view text) {
    using detail::ini::SectionKind;
    // Only headers matter; the reader's own line rules find them the same way.
    detail::ini::IniParser parser;
    detail::Diagnostics ignored("");
    parser.read(text, "", "", ignored, ignored);
    for (const detail::ini::IniSection& section : parser.sections()) {
        const SectionKind kind = detail::ini::section_kind(section.name);
        // [superv] belongs to both formats; the next header decides.
        if (kind == SectionKind::Superv) continue;
        return kind != SectionKind::Unknown;
    }
    return false;
}

}  // namespace superv::config

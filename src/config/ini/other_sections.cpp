// The sections that become no config: supervisorctl's, plugin sections, and
// the kinds superv cannot run. Nothing is dropped without a word.
#include "py_values.hpp"
#include "sections.hpp"

namespace superv::config::detail::ini {
namespace {

constexpr std::string_view kSupervisorctlOptions[] = {"serverurl", "username", "password", "prompt",
                                                      "history_file"};
constexpr std::string_view kFactoryKey = "supervisor.rpcinterface_factory";
constexpr std::string_view kMainFactory = "supervisor.rpcinterface:make_main_rpcinterface";

constexpr std::string_view kSectionNames[] = {
    "supervisord",      "superv",           "include",       "supervisorctl",
    "unix_http_server", "inet_http_server", "program:",      "group:",
    "rpcinterface:",    "eventlistener:",   "fcgi-program:", "ctlplugin:",
};

std::string unknown_section_hint(const std::string& name) {
    std::string stripped(py_strip(name));
    if (stripped != name && section_kind(stripped) != SectionKind::Unknown) {
        return " (did you mean [" + stripped + "]? spaces are part of a section's name)";
    }
    const std::size_t colon = name.find(':');
    const std::string head = colon == std::string::npos ? name : name.substr(0, colon + 1);
    auto match = closest_match(head, kSectionNames);
    if (!match) return "";
    return " (did you mean [" + std::string(*match) +
           (colon == std::string::npos ? "" : name.substr(colon + 1)) + "]?)";
}

void check_rpcinterface(IniContext& ctx, const IniSection& section) {
    SectionReader r(ctx, section);
    const IniOption* factory = r.option(kFactoryKey);
    if (!factory) {
        ctx.errors.error(section.pos, r.title() + " has no \"" + std::string(kFactoryKey) +
                                          "\" (supervisord refuses it too)");
        return;
    }
    if (section.name == "rpcinterface:supervisor" &&
        py_strip(factory->value.text) == kMainFactory) {
        r.warn_unknown(std::span<const std::string_view>(&kFactoryKey, 1));
        return;
    }
    ctx.warnings.error(section.pos, r.title() + " (" + std::string(py_strip(factory->value.text)) +
                                        ") is ignored: superv serves the supervisor.* and "
                                        "system.* XML-RPC interfaces only");
}

}  // namespace

void check_other_section(IniContext& ctx, const IniSection& section, SectionKind kind) {
    const std::string title = "[" + section.name + "]";
    switch (kind) {
        case SectionKind::Supervisorctl: {
            SectionReader r(ctx, section);
            for (std::string_view key : kSupervisorctlOptions)
                r.option(key);
            r.warn_unknown(kSupervisorctlOptions);
            return;
        }
        case SectionKind::RpcInterface:
            return check_rpcinterface(ctx, section);
        case SectionKind::EventListener:
            // An event listener that silently does not run is worse than a refusal.
            ctx.errors.error(section.pos, title +
                                              ": superv cannot run event listeners; remove the "
                                              "section, or make it a [program:x] if it does not "
                                              "need events");
            return;
        case SectionKind::FcgiProgram:
            ctx.errors.error(section.pos, title +
                                              ": superv cannot run FastCGI programs (it does "
                                              "not create their shared socket)");
            return;
        case SectionKind::CtlPlugin:
            ctx.warnings.error(section.pos, title +
                                                " is ignored: it is a supervisorctl plugin, and "
                                                "superv's client loads none");
            return;
        default:
            ctx.warnings.error(section.pos, "unknown section " + title +
                                                unknown_section_hint(section.name) +
                                                "; ignored, as supervisord ignores it");
    }
}

}  // namespace superv::config::detail::ini

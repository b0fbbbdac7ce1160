#include "program_logs.hpp"

#include <climits>

#include "py_values.hpp"

namespace superv::config::detail::ini {
namespace {

constexpr long long kDefaultMaxBytes = 50ll * 1024 * 1024;

bool is_device(const std::string& path) {
    return path.rfind("/dev/", 0) == 0 || path.rfind("/proc/self/fd/", 0) == 0;
}

// One stream's log, and whether a file was named for it.
struct StreamLog {
    LogSpec spec;
    const IniOption* path_option = nullptr;  // set when the logfile is a path
};

// supervisord expands the logfile twice (once as every option is, once more
// on its own), so a literal % takes %%%%; the second pass has only the
// value's start as position.
std::optional<std::string> logfile_text(SectionReader& r, const IniOption& option,
                                        const Names& names) {
    auto once = r.expanded(option, names);
    if (!once) return std::nullopt;
    IniValue again{*once, {{0, option.value.pos()}}, option.value.here};
    return expand(again, names, r.what(option) + " of " + r.title(), r.ctx().errors);
}

StreamLog read_stream(SectionReader& r, const Names& names, std::string_view stream,
                      const std::string& process) {
    const std::string key = std::string(stream) + "_logfile";
    StreamLog log;
    LogSpec& spec = log.spec;
    const long long max_bytes = r.value(key + "_maxbytes", names, kDefaultMaxBytes, byte_size,
                                        "a size like 1024, 10KB or 50MB");
    if (max_bytes < 0) {
        r.error(*r.option(key + "_maxbytes"), quote(key + "_maxbytes") + " must not be negative");
    }
    spec.max_bytes = static_cast<std::uint64_t>(std::max(0ll, max_bytes));
    spec.backups = static_cast<int>(r.integer(key + "_backups", names, 10, 0, INT_MAX));
    const std::string syslog_key = std::string(stream) + "_syslog";
    if (r.boolean(syslog_key, names, false)) {
        r.warn(*r.option(syslog_key), quote(syslog_key) +
                                          " is ignored: superv does not send program output "
                                          "to syslog");
    }

    const IniOption* option = r.option(key);
    std::optional<std::string> text = option ? logfile_text(r, *option, names) : "auto";
    if (!text) return log;
    const std::string keyword = py_lower(*text);
    if (keyword == "none" || keyword == "off") {
        spec.target = {LogTarget::Kind::None, ""};
    } else if (keyword == "syslog") {
        spec.target = {LogTarget::Kind::None, ""};
        r.warn(*option, quote(key) +
                            " = syslog: superv does not send program output to syslog; "
                            "the output is discarded");
    } else if (keyword == "auto") {
        spec.target = {LogTarget::Kind::File, auto_log_path(r.ctx(), process, stream)};
        if (max_bytes == 0) {
            r.ctx().warnings.error(option ? option->name_pos : r.section().pos,
                                   quote(key) + " of " + r.title() + " is AUTO without " +
                                       "rotation (" + key + "_maxbytes = 0): it can fill the disk");
        }
    } else {
        const std::string path = resolve_in(option->value.here, expand_user(*text));
        if (!parent_directory_exists(path)) {
            r.error(*option,
                    r.what(*option) + ": the directory of " + quote(path) + " does not exist");
        }
        // superv's own stdout and stderr are where a container collects output.
        if (path == "/dev/" + std::string(stream)) {
            spec.target = {LogTarget::Kind::Inherit, ""};
        } else {
            spec.target = {LogTarget::Kind::File, path};
        }
        log.path_option = option;
        if (is_device(path) && spec.max_bytes != 0) {
            r.warn(*option, quote(key) + " = " + path + " cannot be rotated: set " + key +
                                "_maxbytes = 0 (supervisord fails at the first rotation); "
                                "superv does not rotate it");
            spec.max_bytes = 0;
        }
    }
    return log;
}

}  // namespace

std::string auto_log_path(const IniContext& ctx, const std::string& name, std::string_view stream) {
    return ctx.childlogdir + "/" + name + "-" + std::string(stream) + "---" + ctx.identifier +
           ".log";
}

void read_process_logs(SectionReader& r, const Names& names, ProgramConfig& p) {
    p.stdout_log = read_stream(r, names, "stdout", p.name).spec;
    StreamLog err = read_stream(r, names, "stderr", p.name);
    if (p.redirect_stderr) {
        if (err.path_option) {
            r.warn(*err.path_option,
                   "\"stderr_logfile\" is ignored: redirect_stderr = true "
                   "sends stderr to stdout's log (as in supervisord)");
        }
        err.spec.target = {LogTarget::Kind::None, ""};
    }
    p.stderr_log = err.spec;
}

}  // namespace superv::config::detail::ini

#include "superv/core/launch.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

extern char** environ;

namespace superv::core {

namespace {

using config::LogTarget;

// The child's fd for one output stream: -1 = superv's own (inherit), the
// capture pipe for a file, /dev/null (owned by `launch.fds`) for none.
int output_fd(const LogTarget& target, int capture_fd, Launch& launch) {
    switch (target.kind) {
        case LogTarget::Kind::Inherit:
            return -1;
        case LogTarget::Kind::File:
            if (capture_fd >= 0) return capture_fd;
            break;  // not captured (it could not be set up): discard
        case LogTarget::Kind::None:
            break;
    }
    const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) launch.fds.emplace_back(fd);
    return fd;
}

struct Credentials {
    uid_t uid;
    gid_t gid;
    std::string home, name;
    std::vector<gid_t> groups;
};

std::variant<Credentials, LaunchError> lookup_user(const config::ProgramConfig& program) {
    errno = 0;
    const passwd* pw = ::getpwnam(program.user.c_str());
    if (pw == nullptr) {
        return LaunchError{"user \"" + program.user +
                           "\": " + (errno ? std::strerror(errno) : "no such user")};
    }
    Credentials c{pw->pw_uid, pw->pw_gid, pw->pw_dir, pw->pw_name, {}};
    if (!program.group.empty()) {
        const group* gr = ::getgrnam(program.group.c_str());
        if (gr == nullptr) return LaunchError{"group \"" + program.group + "\": no such group"};
        c.gid = gr->gr_gid;
    }
    int n = 32;
    c.groups.resize(n);
    while (::getgrouplist(pw->pw_name, c.gid, c.groups.data(), &n) < 0)
        c.groups.resize(n);
    c.groups.resize(n);
    return c;
}

// superv's own environment, or with `clear_environment` only a PATH: what
// superv was started with (a container's or a login's variables) need not
// concern the program.
std::map<std::string, std::string> base_environment(const config::ProgramConfig& program) {
    if (program.clear_environment) {
        return {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}};
    }
    std::map<std::string, std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const char* eq = std::strchr(*e, '=');
        if (eq != nullptr) env[std::string(*e, static_cast<std::size_t>(eq - *e))] = eq + 1;
    }
    return env;
}

}  // namespace

std::variant<Launch, LaunchError> prepare_launch(const config::ProcessSpec& spec,
                                                 const SpawnExtras& extras) {
    const config::ProgramConfig& program = *spec.program;
    Launch launch;
    sys::SpawnRequest& req = launch.request;
    req.argv = program.command;
    req.directory = program.directory;
    req.umask = program.umask;

    req.capabilities = program.capabilities;
    req.no_new_privs = program.no_new_privs;
    for (const config::ResourceLimit& limit : program.rlimits)
        req.rlimits.push_back({limit.resource, limit.soft, limit.hard});

    std::map<std::string, std::string> env = base_environment(program);
    if (!program.user.empty()) {
        auto creds = lookup_user(program);
        if (auto* err = std::get_if<LaunchError>(&creds)) return *err;
        auto& c = std::get<Credentials>(creds);
        req.uid = c.uid;
        req.gid = c.gid;
        req.supplementary_groups = c.groups;
        env["HOME"] = c.home;
        env["USER"] = c.name;
        env["LOGNAME"] = c.name;
    } else if (!program.group.empty()) {
        const group* gr = ::getgrnam(program.group.c_str());
        if (gr == nullptr) return LaunchError{"group \"" + program.group + "\": no such group"};
        req.gid = gr->gr_gid;
    }
    // As supervisord sets them, before the program's environment so that it
    // can override them.
    env["SUPERVISOR_ENABLED"] = "1";
    if (!program.serverurl.empty()) env["SUPERVISOR_SERVER_URL"] = program.serverurl;
    env["SUPERVISOR_PROCESS_NAME"] = spec.name;
    env["SUPERVISOR_GROUP_NAME"] = spec.group;
    for (const auto& [k, v] : program.environment)
        env[k] = v;
    env["SUPERV_PROCESS_NAME"] = spec.name;
    env["SUPERV_GROUP_NAME"] = spec.group;
    for (const std::string& entry : extras.env) {
        const auto eq = entry.find('=');
        env[entry.substr(0, eq)] = eq == std::string::npos ? "" : entry.substr(eq + 1);
    }
    req.env.reserve(env.size());
    for (const auto& [k, v] : env)
        req.env.push_back(k + "=" + v);

    req.foreground_tty = program.inherit_stdin;
    req.extra_fd = extras.extra_fd;
    if (extras.stdin_fd >= 0) {
        req.stdin_fd = extras.stdin_fd;
    } else if (!program.inherit_stdin) {
        req.stdin_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (req.stdin_fd >= 0) launch.fds.emplace_back(req.stdin_fd);
    }
    req.stdout_fd = output_fd(program.stdout_log.target, extras.stdout_fd, launch);
    if (program.redirect_stderr) {
        req.stderr_fd = req.stdout_fd < 0 ? STDOUT_FILENO : req.stdout_fd;
    } else {
        req.stderr_fd = output_fd(program.stderr_log.target, extras.stderr_fd, launch);
    }
    return launch;
}

}  // namespace superv::core

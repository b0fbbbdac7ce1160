#include "superv/daemon/process_settings.hpp"

#include <grp.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace superv::daemon {

namespace {

// supervisord's set_rlimits_or_exit: the soft limit up to `minimum`, and
// the hard one too where superv may raise it.
std::optional<std::string> raise_limit(int resource, const char* name, const char* key,
                                       int minimum) {
    if (minimum <= 0) return std::nullopt;
    rlimit lim{};
    if (::getrlimit(resource, &lim) != 0) return std::string("getrlimit: ") + std::strerror(errno);
    const auto want = static_cast<rlim_t>(minimum);
    if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= want) return std::nullopt;
    rlimit raised = lim;
    raised.rlim_cur = want;
    if (raised.rlim_max != RLIM_INFINITY && raised.rlim_max < want) raised.rlim_max = want;
    if (::setrlimit(resource, &raised) != 0) {
        return std::string(key) + " = " + std::to_string(minimum) + ": cannot raise " + name +
               " (hard limit " + std::to_string(lim.rlim_max) +
               "): setrlimit: " + std::strerror(errno) +
               "; raise the limit superv is started with or lower " + key;
    }
    return std::nullopt;
}

std::optional<std::string> switch_user(const std::string& user) {
    const passwd* pw = ::getpwnam(user.c_str());
    if (pw == nullptr) return "user \"" + user + "\": no such user";
    if (pw->pw_uid == ::geteuid()) return std::nullopt;
    const uid_t uid = pw->pw_uid;
    const gid_t gid = pw->pw_gid;
    const std::string name = pw->pw_name;
    int n = 32;
    std::vector<gid_t> groups(static_cast<std::size_t>(n));
    while (::getgrouplist(name.c_str(), gid, groups.data(), &n) < 0)
        groups.resize(static_cast<std::size_t>(n));
    groups.resize(static_cast<std::size_t>(n));
    if (::setgroups(groups.size(), groups.data()) != 0) {
        return "user \"" + user + "\": setgroups: " + std::strerror(errno);
    }
    if (::setgid(gid) != 0) return "user \"" + user + "\": setgid: " + std::strerror(errno);
    if (::setuid(uid) != 0) return "user \"" + user + "\": setuid: " + std::strerror(errno);
    spdlog::info("switched to user {} (uid {})", name, uid);
    return std::nullopt;
}

}  // namespace

std::optional<std::string> apply_process_settings(const config::DaemonConfig& daemon) {
    if (auto e = raise_limit(RLIMIT_NOFILE, "RLIMIT_NOFILE", "minfds", daemon.minfds)) return e;
    if (auto e = raise_limit(RLIMIT_NPROC, "RLIMIT_NPROC", "minprocs", daemon.minprocs)) return e;
    if (daemon.umask) ::umask(*daemon.umask);
    if (!daemon.directory.empty() && ::chdir(daemon.directory.c_str()) != 0) {
        return "directory " + daemon.directory + ": chdir: " + std::strerror(errno);
    }
    if (!daemon.user.empty()) return switch_user(daemon.user);
    return std::nullopt;
}

PidFile::PidFile(std::string path) : path_(std::move(path)) {
    std::ofstream out(path_, std::ios::trunc);
    out << ::getpid() << "\n";
    if (!out.flush()) {
        spdlog::error("pidfile {}: cannot write it: {}", path_, std::strerror(errno));
        path_.clear();
    }
}

PidFile::~PidFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
}

}  // namespace superv::daemon

#include "include_read.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace superv::config {
namespace {

std::atomic<bool> strict_modes_disabled{false};

constexpr std::string_view kOptOut = "run with --no-strict-modes";

}  // namespace

LoadOptions LoadOptions::defaults() {
    const char* env = std::getenv("SUPERV_NO_STRICT_MODES");
    const bool opted_out = strict_modes_disabled.load() ||
                           (env != nullptr && *env != '\0' && std::string_view(env) != "0");
    return LoadOptions{::geteuid() == 0 && !opted_out};
}

void disable_strict_modes() {
    strict_modes_disabled.store(true);
}

namespace detail {
namespace {

std::string owner_name(uid_t uid) {
    const passwd* pw = ::getpwuid(uid);
    return pw != nullptr ? std::string(pw->pw_name) : "uid " + std::to_string(uid);
}

// The directories whose writers could replace `path`: the one it is named
// in and, when that is a symlink, the one it points into.
std::vector<std::filesystem::path> containing_dirs(const std::string& path) {
    std::error_code error;
    std::filesystem::path named = std::filesystem::absolute(path, error).parent_path();
    std::vector<std::filesystem::path> dirs{named};
    std::filesystem::path real = std::filesystem::canonical(path, error);
    if (!error && real.parent_path() != std::filesystem::canonical(named, error)) {
        dirs.push_back(real.parent_path());
    }
    return dirs;
}

// StrictModes for the open file and the directories it is in.
std::optional<std::string> strict_modes_check(int fd, const std::string& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return "cannot read config: " + std::string(std::strerror(errno));
    if (auto problem = strict_modes_problem(st)) return *problem;
    for (const std::filesystem::path& dir : containing_dirs(path)) {
        struct stat dir_st {};
        if (::stat(dir.c_str(), &dir_st) != 0) {
            return "cannot check its directory " + dir.string() + ": " + std::strerror(errno);
        }
        if (auto problem = strict_modes_problem(dir_st)) {
            return "its directory " + dir.string() + " is " + *problem;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> strict_modes_problem(const struct stat& st) {
    if (st.st_uid != 0 && st.st_uid != ::geteuid()) {
        return "owned by " + owner_name(st.st_uid) + ", not root; fix its owner or " +
               std::string(kOptOut);
    }
    // A sticky directory (/tmp) lets others add files but not replace or
    // remove root's; what they add fails the owner check above.
    const bool sticky_dir = S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) != 0;
    if (!sticky_dir && (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return "writable by group/others; fix its mode or " + std::string(kOptOut);
    }
    return std::nullopt;
}

std::optional<std::string> read_config_file(const std::string& path, bool strict_modes,
                                            std::vector<ConfigError>& errors) {
    auto failure = [&](std::string message) {
        errors.push_back(ConfigError{SourcePos{path, 0, 0}, std::move(message)});
        return std::nullopt;
    };
    auto read_failure = [&](int error) {
        return failure("cannot read config: " + std::string(std::strerror(error)));
    };
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return read_failure(errno);
    if (strict_modes) {
        if (auto problem = strict_modes_check(fd, path)) {
            ::close(fd);
            return failure(*problem);
        }
    }
    std::string text;
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int error = errno;  // EISDIR for a directory
            ::close(fd);
            return read_failure(error);
        }
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return text;
}

}  // namespace detail
}  // namespace superv::config

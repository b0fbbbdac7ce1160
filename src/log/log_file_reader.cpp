#include "superv/log/log_file_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "superv/sys/fd.hpp"

namespace superv::log {

namespace {

struct OpenLog {
    sys::Fd fd;
    std::int64_t size = 0;
};

// An invalid fd when the file cannot be opened or sized. A directory counts
// as unopenable, as for Python's open().
OpenLog open_log(const std::string& path) {
    OpenLog log{sys::Fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)), 0};
    struct stat st {};
    if (log.fd && (::fstat(log.fd.get(), &st) != 0 || S_ISDIR(st.st_mode))) log.fd.reset();
    log.size = st.st_size;
    return log;
}

// Up to `length` bytes (capped at kMaxLogRead) from `offset`, fewer at the
// end of the file. False when a read fails.
bool read_range(int fd, std::int64_t offset, std::int64_t length, std::string& out) {
    out.resize(static_cast<std::size_t>(std::clamp<std::int64_t>(length, 0, kMaxLogRead)));
    std::size_t got = 0;
    while (got < out.size()) {
        const ssize_t n = ::pread(fd, out.data() + got, out.size() - got,
                                  static_cast<off_t>(offset) + static_cast<off_t>(got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    out.resize(got);
    return true;
}

bool exists(const std::string& path) {
    struct stat st {};
    return !path.empty() && ::stat(path.c_str(), &st) == 0;
}

}  // namespace

LogRead read_log(const std::string& path, std::int64_t offset, std::int64_t length) {
    if (!exists(path)) return {LogFault::NoFile, {}};
    const OpenLog log = open_log(path);
    if (!log.fd) return {LogFault::Failed, {}};
    LogRead result;
    std::int64_t from = offset;
    std::int64_t count = length;
    if (offset < 0) {
        if (length != 0) return {LogFault::BadArguments, {}};
        from = std::max<std::int64_t>(log.size + offset, 0);
        count = -offset;
    } else {
        if (length < 0) return {LogFault::BadArguments, {}};
        if (length == 0) count = std::max<std::int64_t>(log.size - offset, 0);
    }
    if (!read_range(log.fd.get(), from, count, result.bytes)) return {LogFault::Failed, {}};
    return result;
}

LogTail tail_log(const std::string& path, std::int64_t offset, std::int64_t length) {
    if (!exists(path)) return {};
    const OpenLog log = open_log(path);
    if (!log.fd) return {{}, offset, false};
    const std::int64_t size = log.size;
    LogTail tail;
    // supervisord's tailFile step by step (options.py), odd corners included.
    if (size > offset + length) {
        tail.overflow = true;
        offset = size - 1;
    }
    if (offset + length > size) {
        if (offset > size - 1) length = 0;
        offset = size - length;
    }
    offset = std::max<std::int64_t>(offset, 0);
    length = std::max<std::int64_t>(length, 0);
    if (length > 0 && !read_range(log.fd.get(), offset, length, tail.bytes)) {
        return {{}, offset, false};
    }
    tail.offset = size;
    return tail;
}

}  // namespace superv::log

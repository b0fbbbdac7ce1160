#include "superv/log/rotating_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace superv::log {

Result<void> RotatingFile::open() {
    sys::Fd fd(::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
    if (!fd) return SysError::last("open");
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return SysError::last("fstat");
    fd_ = std::move(fd);
    size_ = static_cast<std::uint64_t>(st.st_size);
    return Ok{};
}

Result<void> RotatingFile::reopen() {
    fd_.reset();
    return open();
}

Result<void> RotatingFile::clear() {
    // A file that cannot be removed keeps being written to.
    if (::unlink(path_.c_str()) != 0 && errno != ENOENT) return SysError::last("unlink");
    return reopen();
}

Result<void> RotatingFile::append(std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd_.get(), data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return SysError::last("write");
        }
        size_ += static_cast<std::uint64_t>(n);
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return Ok{};
}

Result<void> RotatingFile::rotate() {
    fd_.reset();
    if (backups_ > 0) {
        // FILE.N-1 -> FILE.N, ..., FILE -> FILE.1; the oldest is overwritten.
        for (int i = backups_ - 1; i >= 1; --i) {
            const std::string from = path_ + "." + std::to_string(i);
            const std::string to = path_ + "." + std::to_string(i + 1);
            if (std::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT) {
                return SysError::last("rename");
            }
        }
        if (std::rename(path_.c_str(), (path_ + ".1").c_str()) != 0 && errno != ENOENT) {
            return SysError::last("rename");
        }
    } else if (::truncate(path_.c_str(), 0) != 0 && errno != ENOENT) {
        return SysError::last("truncate");
    }
    return open();
}

Result<void> RotatingFile::write(std::string_view data) {
    if (!fd_) {
        if (auto r = open(); !r) return r;
    }
    if (max_bytes_ == 0) return append(data);
    while (!data.empty()) {
        const std::uint64_t room = size_ < max_bytes_ ? max_bytes_ - size_ : 0;
        if (data.size() <= room) return append(data);
        const std::string_view fits = data.substr(0, static_cast<std::size_t>(room));
        const auto cut = fits.rfind('\n');
        if (cut != std::string_view::npos) {
            if (auto r = append(data.substr(0, cut + 1)); !r) return r;
            data.remove_prefix(cut + 1);
        } else if (size_ == 0) {
            // A line longer than the whole file: split it, as little as we can.
            if (auto r = append(fits); !r) return r;
            data.remove_prefix(fits.size());
        }
        if (auto r = rotate(); !r) return r;
    }
    return Ok{};
}

}  // namespace superv::log

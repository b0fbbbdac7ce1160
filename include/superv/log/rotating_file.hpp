// A program's log file, rotated by size the way supervisord does it: when
// FILE would grow past max_bytes it becomes FILE.1, FILE.1 becomes FILE.2,
// ... up to FILE.backups, and writing goes on in a fresh FILE. With
// backups = 0 the file is truncated instead; max_bytes = 0 never rotates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "superv/common/result.hpp"
#include "superv/sys/fd.hpp"

namespace superv::log {

class RotatingFile {
  public:
    RotatingFile(std::string path, std::uint64_t max_bytes, int backups)
        : path_(std::move(path)), max_bytes_(max_bytes), backups_(backups) {}

    // Opens (O_APPEND | O_CREAT, 0644) and learns the current size.
    Result<void> open();
    // Closes and opens again: after logrotate moved the file away (SIGUSR2).
    Result<void> reopen();
    // supervisord's clearProcessLogs: FILE is removed (not its backups) and
    // opened again, empty. A FILE that is already gone is fine.
    Result<void> clear();
    bool is_open() const { return fd_.valid(); }

    // Appends `data`, rotating first when it would not fit. A rotation
    // happens at the last line break that fits where there is one, so lines
    // stay whole in one file; only a line longer than max_bytes is split.
    Result<void> write(std::string_view data);

    const std::string& path() const { return path_; }
    std::uint64_t size() const { return size_; }

  private:
    Result<void> rotate();
    Result<void> append(std::string_view data);

    std::string path_;
    std::uint64_t max_bytes_;
    int backups_;
    sys::Fd fd_;
    std::uint64_t size_ = 0;
};

}  // namespace superv::log

// Reading a log file the way supervisord's XML-RPC interface does, for
// program logs and superv's own log alike: read_log is options.readFile
// behind readLog / readProcessStdoutLog, tail_log is options.tailFile behind
// tailProcessStdoutLog. Offsets and lengths are XML-RPC integers, so the
// arithmetic is done in 64 bits and cannot overflow.
#pragma once

#include <cstdint>
#include <string>

namespace superv::log {

// The supervisord fault (xmlrpc.py Faults) a failed log operation maps to.
enum class LogFault {
    None,
    NoFile,        // no log file configured, or it does not exist (NO_FILE)
    BadArguments,  // an offset / length combination readFile refuses (BAD_ARGUMENTS)
    Failed,        // the file exists but cannot be opened, read or removed (FAILED)
};

// One read never returns more than this (a prefix of the asked-for range):
// reading a log must not make the daemon hold an unbounded file in memory. A
// client reading in chunks (offset += bytes read) still gets everything.
inline constexpr std::int64_t kMaxLogRead = 16 * 1024 * 1024;

struct LogRead {
    LogFault fault = LogFault::None;
    std::string bytes;
};

// offset >= 0: `length` bytes from `offset` (length 0: to the end); a
// negative length is BadArguments. offset < 0: the last -offset bytes, and
// length must be 0. A path that does not exist is NoFile; an unreadable one
// Failed (checked before the arguments, as supervisord opens first).
LogRead read_log(const std::string& path, std::int64_t offset, std::int64_t length);

struct LogTail {
    std::string bytes;
    std::int64_t offset = 0;  // where the next tail should start: the file's size
    bool overflow = false;    // the file has grown past offset + length: bytes were skipped
};

// tailFile's arithmetic, kept exactly: the last `length` bytes of the file
// (fewer when it is smaller; none when `offset` is at or past its end), and
// the overflow flag when the file is larger than offset + length. A missing
// file gives {"", 0, false}, an unreadable one {"", offset, false}: tailing
// never faults.
LogTail tail_log(const std::string& path, std::int64_t offset, std::int64_t length);

}  // namespace superv::log

// /proc/PID/stat: the two fields a notify sender's attribution needs.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "superv/common/result.hpp"

namespace superv::sys {

struct ProcStat {
    pid_t parent = 0;              // field 4, ppid
    std::uint64_t start_time = 0;  // field 22, starttime: clock ticks after boot
};

// Parses one /proc/PID/stat line. The command (field 2) is in parentheses
// and may itself hold spaces and ')', so fields are counted from the last ')'.
std::optional<ProcStat> parse_proc_stat(std::string_view line);

// Reads /proc/PID/stat (open, one read, close). ENOENT / ESRCH: no such
// process, or one that has been reaped. A zombie still has its entry.
Result<ProcStat> read_proc_stat(pid_t pid);

}  // namespace superv::sys

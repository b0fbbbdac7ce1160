#include "superv/sys/proc_stat.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "superv/sys/fd.hpp"

namespace superv::sys {
namespace {

// The next space-separated field of `rest`, consumed.
std::string_view next_field(std::string_view& rest) {
    while (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
    const std::size_t end = std::min(rest.find(' '), rest.size());
    const std::string_view field = rest.substr(0, end);
    rest.remove_prefix(end);
    return field;
}

template <class T>
std::optional<T> number(std::string_view text) {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view line) {
    const std::size_t close = line.rfind(')');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view rest = line.substr(close + 1);
    // Fields 3 (state) to 22 (starttime) follow the command.
    std::string_view fields[20];
    for (std::string_view& field : fields) {
        field = next_field(rest);
        if (field.empty()) return std::nullopt;
    }
    const auto parent = number<pid_t>(fields[1]);
    const auto start_time = number<std::uint64_t>(fields[19]);
    if (!parent || !start_time || *parent < 0) return std::nullopt;
    return ProcStat{*parent, *start_time};
}

Result<ProcStat> read_proc_stat(pid_t pid) {
    char path[32];
    std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
    const Fd fd(::open(path, O_RDONLY | O_CLOEXEC));
    if (!fd) return SysError::last("open");
    // A stat line is about 300 bytes; its command is at most 64.
    char buffer[1024];
    ssize_t n;
    do {
        n = ::read(fd.get(), buffer, sizeof buffer);
    } while (n < 0 && errno == EINTR);
    // ESRCH: the process was reaped between the open and the read.
    if (n < 0) return SysError::last("read");
    const auto stat = parse_proc_stat(std::string_view(buffer, static_cast<std::size_t>(n)));
    if (!stat) return SysError{"read", EPROTO};
    return *stat;
}

}  // namespace superv::sys

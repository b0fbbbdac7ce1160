// The sd_notify(3) datagram a program sends to $NOTIFY_SOCKET: lines of
// KEY=VALUE separated by '\n'. superv acts on READY=1, STATUS=... and
// STOPPING=1 and reads MAINPID=; every other well-formed key (WATCHDOG,
// RELOADING, FDSTORE, BARRIER, ERRNO, ...) is accepted and ignored, as
// systemd ignores keys it does not know.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "superv/sys/notify_socket.hpp"

namespace superv::core::readiness {

// systemd's own cap (NOTIFY_BUFFER_MAX = PIPE_BUF): a datagram longer than
// this is dropped whole, never half-read.
inline constexpr std::size_t kMaxNotifyMessage = sys::kMaxNotifyDatagram;
// What `status` shows of STATUS=: longer text is cut at a character boundary.
inline constexpr std::size_t kMaxNotifyStatus = 256;

struct NotifyMessage {
    bool ready = false;                 // READY=1
    bool stopping = false;              // STOPPING=1
    std::optional<std::string> status;  // STATUS=...: valid UTF-8, no control characters
    std::optional<pid_t> main_pid;      // MAINPID=N (N >= 1); read, not used for attribution
    bool operator==(const NotifyMessage&) const = default;
    // Nothing superv acts on (only ignored keys: BARRIER=1, WATCHDOG=1, ...).
    bool empty() const { return *this == NotifyMessage{}; }
};

// The message in `datagram`, or nullopt when it is garbage, so that a bad
// datagram changes nothing rather than half of something. Garbage: empty or
// over kMaxNotifyMessage, a NUL byte, a non-empty line that is not KEY=VALUE
// with KEY of [A-Z0-9_]+, or a known key with a bad value (MAINPID not a pid,
// STATUS not UTF-8). Empty lines (a trailing '\n') are fine; for a key given
// twice the last one counts. READY / STOPPING with a value other than 1 are
// ignored, as systemd does.
std::optional<NotifyMessage> parse_notify_message(std::span<const std::byte> datagram);

}  // namespace superv::core::readiness

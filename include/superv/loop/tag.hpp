// One tag per request (style.md rule 3): a completion carries back what its
// request was for, as (kind, slot, generation). A late completion for a slot
// that has moved on to a new generation is recognised and dropped.
#pragma once

#include <cstdint>

namespace superv::loop {

enum class TagKind : std::uint8_t {
    Internal = 0,  // backend's own bookkeeping (cancel requests); never delivered
    ProcessExit,   // a process's exit wait; slot = process slot, gen = spawn generation
    ProcessTimer,  // startsecs / backoff / grace timer; gen = timer generation
    Signal,        // the signalfd read
    ControlAccept,
    ControlRead,
    ControlWrite,
    ControlTimer,  // a control connection's request deadline
    OutputRead,    // captured program output
    DaemonTimer,   // shutdown_timeout and other daemon-wide timers
    StdinWrite,    // bytes for a process's stdin pipe; gen = write generation
    ReadyTimer,    // a process's ready_timeout; gen = timer generation
    ReadyWatch,    // its readiness source: the `ready` fd's read, a connect attempt or its retry
    NotifyRead,    // the notify socket (sd_notify) turned readable
    HealthTimer,   // a process's next health check, or the running one's timeout; gen = timer's
    HealthIo,      // a health check's connect, request write or response read
    HealthExit,    // the exit of a health check's command (exec)
};

struct Tag {
    TagKind kind = TagKind::Internal;
    std::uint32_t slot = 0;  // 24 bits
    std::uint32_t gen = 0;

    constexpr std::uint64_t raw() const {
        return (std::uint64_t(kind) << 56) | (std::uint64_t(slot & 0xffffff) << 32) | gen;
    }
    static constexpr Tag from_raw(std::uint64_t raw) {
        return Tag{TagKind(raw >> 56), std::uint32_t((raw >> 32) & 0xffffff),
                   std::uint32_t(raw & 0xffffffff)};
    }
    constexpr bool operator==(const Tag&) const = default;
};

}  // namespace superv::loop

#pragma once

#include <cstdint>

namespace superv::core {

// Names a process across table changes: a slot plus the generation of its
// occupant, so an id of a removed process never reaches its successor.
struct ProcessId {
    std::uint32_t slot = 0;
    std::uint32_t gen = 0;
    bool operator==(const ProcessId&) const = default;
};

}  // namespace superv::core

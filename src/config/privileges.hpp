// `capabilities` and `rlimits`: what a program may be given depends on what
// superv itself holds, so both are checked against it at load time rather
// than failing in the child at every start. Private to src/config.
#pragma once

#include <sys/resource.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "superv/config/config.hpp"

namespace superv::config::detail {

struct Field;

// What superv can hand on to its programs. The defaults claim everything,
// so tests that only care about uid/gid need not spell it out.
struct Privileges {
    // Capabilities superv can both use and pass on: effective, permitted and
    // bounding (bit N = capability N).
    std::uint64_t capabilities = ~std::uint64_t{0};
    // superv's own hard limits: without CAP_SYS_RESOURCE nothing goes above them.
    std::array<std::uint64_t, RLIM_NLIMITS> hard_limits = all_unlimited();
    // fs.nr_open: no process may have a higher nofile, whatever it holds.
    std::uint64_t nr_open = ResourceLimit::kUnlimited;

    static Privileges current();

  private:
    static constexpr std::array<std::uint64_t, RLIM_NLIMITS> all_unlimited() {
        std::array<std::uint64_t, RLIM_NLIMITS> limits{};
        limits.fill(ResourceLimit::kUnlimited);
        return limits;
    }
};

// ["CAP_NET_BIND_SERVICE", ...] as a mask, after checking each name and that
// superv holds it (and CAP_SETPCAP, to shrink the bounding set).
std::optional<std::uint64_t> read_capabilities(const Field& field);

// { nofile = 65536, core = 0, memlock = "64MB", nproc = { soft = 100, hard = 200 } }
std::optional<std::vector<ResourceLimit>> read_rlimits(const Field& field);

// The spellings the two keys read, for writing a config back:
// "CAP_NET_BIND_SERVICE" for 10; "nofile" for RLIMIT_NOFILE (nullopt for a
// resource `rlimits` has no name for), and whether it takes a size.
std::string capability_name(int cap);
struct ResourceName {
    std::string_view name;
    int resource;
    bool bytes;  // takes "64MB" as well as a number
};
std::optional<ResourceName> resource_name(int resource);

}  // namespace superv::config::detail

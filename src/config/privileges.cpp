// What superv holds, and the `capabilities` key checked against it.
#include "privileges.hpp"

#include <sys/capability.h>

#include <fstream>
#include <string>

#include "values.hpp"

namespace superv::config::detail {
namespace {

std::uint64_t bit(cap_value_t cap) {
    return std::uint64_t{1} << cap;
}

// How many capabilities the running kernel has (cap_last_cap + 1). libcap
// reads it once; a mask has room for 64.
int kernel_capability_count() {
    const int count = static_cast<int>(cap_max_bits());
    return count < 64 ? count : 64;
}

std::string upper(std::string text) {
    for (char& c : text) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return text;
}

// The names the kernel knows, for "did you mean".
const std::vector<std::string>& known_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all;
        for (int cap = 0; cap < kernel_capability_count(); ++cap)
            all.push_back(capability_name(cap));
        return all;
    }();
    return names;
}

bool has_cap_prefix(std::string_view text) {
    return text.size() > 4 && upper(std::string(text.substr(0, 4))) == "CAP_";
}

// The capability `text` names, or nullopt after reporting why not. Only
// names: libcap would also take a bare number, which reads like a typo.
std::optional<cap_value_t> parse_capability(const Field& field, const toml::node& element,
                                            const std::string& text) {
    cap_value_t cap = 0;
    if (has_cap_prefix(text) && cap_from_name(text.c_str(), &cap) == 0) {
        if (cap < kernel_capability_count()) return cap;
        field.ctx.diag.error(element.source(),
                             "capability " + quote(upper(text)) + " is not known to this kernel");
        return std::nullopt;
    }
    std::vector<std::string_view> candidates(known_names().begin(), known_names().end());
    field.ctx.diag.error(element.source(),
                         "unknown capability " + quote(text) + did_you_mean(text, candidates));
    return std::nullopt;
}

}  // namespace

// libcap spells a capability it has no name for (one newer than the
// library) as its number.
std::string capability_name(int cap) {
    char* name = cap_to_name(cap);
    if (name == nullptr) return std::to_string(cap);
    std::string text = upper(name);
    cap_free(name);
    return text;
}

Privileges Privileges::current() {
    Privileges self;
    self.capabilities = 0;
    if (cap_t caps = cap_get_proc()) {
        for (int cap = 0; cap < kernel_capability_count(); ++cap) {
            cap_flag_value_t effective = CAP_CLEAR, permitted = CAP_CLEAR;
            cap_get_flag(caps, cap, CAP_EFFECTIVE, &effective);
            cap_get_flag(caps, cap, CAP_PERMITTED, &permitted);
            if (effective == CAP_SET && permitted == CAP_SET && cap_get_bound(cap) == 1) {
                self.capabilities |= bit(cap);
            }
        }
        cap_free(caps);
    }
    for (int resource = 0; resource < RLIM_NLIMITS; ++resource) {
        rlimit limit{};
        if (getrlimit(resource, &limit) == 0) {
            self.hard_limits[static_cast<std::size_t>(resource)] = limit.rlim_max;
        }
    }
    std::ifstream nr_open("/proc/sys/fs/nr_open");
    std::uint64_t value = 0;
    if (nr_open >> value) self.nr_open = value;
    return self;
}

std::optional<std::uint64_t> read_capabilities(const Field& field) {
    const auto* array = field.node.as_array();
    if (!array) {
        field.wrong_type("an array of capability names like [\"CAP_NET_BIND_SERVICE\"]");
        return std::nullopt;
    }
    const std::uint64_t held = field.ctx.identity.privileges.capabilities;
    std::uint64_t mask = 0;
    bool ok = true;
    for (const toml::node& element : *array) {
        auto text = element.value_exact<std::string>();
        if (!text) {
            field.ctx.diag.error(element.source(), "every capability in " + quote(field.key) +
                                                       " must be a string, not " +
                                                       type_phrase(element));
            ok = false;
            continue;
        }
        auto cap = parse_capability(field, element, *text);
        if (!cap) {
            ok = false;
        } else if (mask & bit(*cap)) {
            field.ctx.diag.error(element.source(),
                                 "capability " + quote(capability_name(*cap)) + " is listed twice");
            ok = false;
        } else if (!(held & bit(*cap))) {
            field.ctx.diag.error(element.source(),
                                 "superv does not hold " + capability_name(*cap) +
                                     " (it must be in superv's effective, permitted and bounding "
                                     "sets to be passed on)");
            ok = false;
        } else {
            mask |= bit(*cap);
        }
    }
    if (!(held & bit(CAP_SETPCAP))) {
        field.error(
            "superv does not hold CAP_SETPCAP, which dropping the other capabilities "
            "from the bounding set needs; run superv as root or drop " +
            quote(field.key));
        ok = false;
    }
    if (!ok) return std::nullopt;
    return mask;
}

}  // namespace superv::config::detail

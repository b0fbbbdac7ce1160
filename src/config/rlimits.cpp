// The `rlimits` table: resource limits by their short names (as in
// `ulimit`, systemd's Limit*= and prlimit(1)), each a number, "unlimited",
// a size for the byte-valued ones, or { soft = ..., hard = ... }.
#include <linux/capability.h>

#include <algorithm>
#include <string>

#include "privileges.hpp"
#include "values.hpp"

namespace superv::config::detail {
namespace {

constexpr std::uint64_t kUnlimited = ResourceLimit::kUnlimited;

constexpr ResourceName kResources[] = {
    {"as", RLIMIT_AS, true},
    {"core", RLIMIT_CORE, true},
    {"cpu", RLIMIT_CPU, false},  // seconds
    {"data", RLIMIT_DATA, true},
    {"fsize", RLIMIT_FSIZE, true},
    {"locks", RLIMIT_LOCKS, false},
    {"memlock", RLIMIT_MEMLOCK, true},
    {"msgqueue", RLIMIT_MSGQUEUE, true},
    {"nice", RLIMIT_NICE, false},
    {"nofile", RLIMIT_NOFILE, false},
    {"nproc", RLIMIT_NPROC, false},
    {"rss", RLIMIT_RSS, true},
    {"rtprio", RLIMIT_RTPRIO, false},
    {"rttime", RLIMIT_RTTIME, false},  // microseconds
    {"sigpending", RLIMIT_SIGPENDING, false},
    {"stack", RLIMIT_STACK, true},
};

std::string limit_text(std::uint64_t value) {
    return value == kUnlimited ? "unlimited" : std::to_string(value);
}

bool is_unlimited(const toml::node& node) {
    auto text = node.value_exact<std::string>();
    return text && (*text == "unlimited" || *text == "infinity");
}

// One value: `field.key` is "rlimits.NAME" (or "rlimits.NAME.soft").
std::optional<std::uint64_t> read_value(const Field& field, const ResourceName& resource) {
    if (is_unlimited(field.node)) return kUnlimited;
    if (resource.bytes && field.node.is_string()) return read_size(field);
    if (auto number = field.node.value_exact<std::int64_t>()) {
        if (*number >= 0) return static_cast<std::uint64_t>(*number);
        field.error(quote(field.key) + " must not be negative");
        return std::nullopt;
    }
    const std::string expected = resource.bytes ? "a number, a size like \"64MB\" or \"unlimited\""
                                                : "a number or \"unlimited\"";
    if (auto text = field.node.value_exact<std::string>()) {
        field.error(quote(field.key) + " must be " + expected + ", not " + quote(*text));
    } else {
        field.wrong_type(expected);
    }
    return std::nullopt;
}

// { soft = ..., hard = ... }: both are required, since a missing one has no
// obvious meaning (superv's own? the kernel's default?).
std::optional<ResourceLimit> read_pair(const Field& field, const toml::table& table,
                                       const ResourceName& resource) {
    static constexpr std::string_view kParts[] = {"soft", "hard"};
    std::optional<std::uint64_t> values[2];
    bool ok = true;
    for (auto&& [key, node] : table) {
        const auto* part = std::find(std::begin(kParts), std::end(kParts), key.str());
        if (part == std::end(kParts)) {
            field.ctx.diag.error(key.source(), "unknown key " + quote(key.str()) + " in " +
                                                   quote(field.key) +
                                                   did_you_mean(key.str(), kParts));
            ok = false;
            continue;
        }
        const std::string name = std::string(field.key) + "." + std::string(*part);
        auto& value = values[part - std::begin(kParts)];
        value = read_value(Field{name, node, field.ctx}, resource);
        ok = ok && value.has_value();
    }
    if (!ok) return std::nullopt;
    if (!values[0] || !values[1]) {
        field.error(quote(field.key) + " needs both \"soft\" and \"hard\"");
        return std::nullopt;
    }
    if (*values[0] > *values[1]) {
        field.error(quote(field.key) + ": soft limit " + limit_text(*values[0]) +
                    " is above hard limit " + limit_text(*values[1]));
        return std::nullopt;
    }
    return ResourceLimit{resource.resource, *values[0], *values[1]};
}

// What the kernel would refuse in the child at every start.
bool check_allowed(const Field& field, const ResourceLimit& limit) {
    const Privileges& superv = field.ctx.identity.privileges;
    if (limit.resource == RLIMIT_NOFILE && limit.hard > superv.nr_open) {
        field.error(quote(field.key) + " = " + limit_text(limit.hard) + " is above fs.nr_open (" +
                    std::to_string(superv.nr_open) + "), the kernel's cap on open files");
        return false;
    }
    const std::uint64_t own = superv.hard_limits[static_cast<std::size_t>(limit.resource)];
    if (limit.hard > own && !(superv.capabilities & (std::uint64_t{1} << CAP_SYS_RESOURCE))) {
        field.error(quote(field.key) + ": hard limit " + limit_text(limit.hard) +
                    " is above superv's own (" + limit_text(own) +
                    ") and superv lacks CAP_SYS_RESOURCE to raise it");
        return false;
    }
    return true;
}

}  // namespace

std::optional<ResourceName> resource_name(int resource) {
    for (const ResourceName& known : kResources) {
        if (known.resource == resource) return known;
    }
    return std::nullopt;
}

std::optional<std::vector<ResourceLimit>> read_rlimits(const Field& field) {
    const auto* table = field.node.as_table();
    if (!table) {
        field.wrong_type("a table like { nofile = 65536, core = 0 }");
        return std::nullopt;
    }
    std::vector<std::string_view> names;
    for (const ResourceName& r : kResources)
        names.push_back(r.name);
    std::vector<ResourceLimit> limits;
    bool ok = true;
    for (auto&& [key, node] : *table) {
        const auto* resource = std::find_if(std::begin(kResources), std::end(kResources),
                                            [&](const ResourceName& r) { return r.name == key; });
        if (resource == std::end(kResources)) {
            field.ctx.diag.error(key.source(), "unknown resource limit " + quote(key.str()) +
                                                   " in " + quote(field.key) +
                                                   did_you_mean(key.str(), names));
            ok = false;
            continue;
        }
        const std::string name = std::string(field.key) + "." + std::string(key.str());
        const Field entry{name, node, field.ctx};
        std::optional<ResourceLimit> limit;
        if (const auto* pair = node.as_table()) {
            limit = read_pair(entry, *pair, *resource);
        } else if (auto value = read_value(entry, *resource)) {
            limit = ResourceLimit{resource->resource, *value, *value};
        }
        if (limit && check_allowed(entry, *limit)) {
            limits.push_back(*limit);
        } else {
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    return limits;
}

}  // namespace superv::config::detail

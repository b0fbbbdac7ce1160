#include "superv/core/readiness/notify_sender.hpp"

namespace superv::core::readiness {

std::optional<pid_t> attribute_sender(pid_t sender, const IsSupervised& is_supervised,
                                      const AncestryLookup& lookup, std::size_t max_depth) {
    if (sender <= 0) return std::nullopt;  // 0: not visible in superv's pid namespace
    if (is_supervised(sender)) return sender;
    std::optional<ProcessAncestry> current = lookup(sender);
    for (std::size_t depth = 0; current && depth < max_depth; ++depth) {
        const pid_t parent = current->parent;
        if (parent <= 1) return std::nullopt;  // reached init, or the top of a pid namespace
        const std::optional<ProcessAncestry> above = lookup(parent);
        if (!above || above->start_time > current->start_time) return std::nullopt;
        if (is_supervised(parent)) return parent;
        current = above;
    }
    return std::nullopt;
}

}  // namespace superv::core::readiness

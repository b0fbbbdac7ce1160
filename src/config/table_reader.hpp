// Walking a table's keys: each known key has a reader, anything else is an
// "unknown key" error with a suggestion. Private to src/config.
#pragma once

#include <algorithm>
#include <span>
#include <string_view>
#include <vector>

#include "values.hpp"

namespace superv::config::detail {

template <class Target>
struct KeyReader {
    std::string_view key;
    void (*read)(Target& target, const Field& field);
};

// `where` names the table in messages, e.g. "[programs.web]".
template <class Target>
void read_keys(const toml::table& table, std::span<const KeyReader<Target>> readers, Target& target,
               Context& ctx, std::string_view where) {
    for (auto&& [key, node] : table) {
        auto reader = std::find_if(readers.begin(), readers.end(),
                                   [&](const KeyReader<Target>& r) { return r.key == key.str(); });
        if (reader != readers.end()) {
            reader->read(target, Field{key.str(), node, ctx});
            continue;
        }
        std::vector<std::string_view> known;
        for (const KeyReader<Target>& r : readers)
            known.push_back(r.key);
        ctx.diag.error(key.source(), "unknown key " + quote(key.str()) + " in " +
                                         std::string(where) + did_you_mean(key.str(), known));
    }
}

}  // namespace superv::config::detail

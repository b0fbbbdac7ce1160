// `depends_on`: a list of targets (each waited for until "ready"), or a
// table of target = condition. Whether the targets exist, and cycles, are
// checked once every file is read (check_dependencies.cpp).
#include <algorithm>

#include "values.hpp"

namespace superv::config::detail {
namespace {

std::optional<Condition> parse_condition(std::string_view text) {
    for (Condition condition : kConditions) {
        if (condition_name(condition) == text) return condition;
    }
    return std::nullopt;
}

std::vector<std::string_view> condition_names() {
    std::vector<std::string_view> names;
    for (Condition condition : kConditions)
        names.push_back(condition_name(condition));
    return names;
}

// A target name as written: non-empty, no NUL; whether it names anything is
// checked later.
std::optional<std::string> read_target(const Field& field, const toml::source_region& where,
                                       std::string_view text) {
    if (text.empty()) {
        field.ctx.diag.error(where, "a target in " + quote(field.key) + " must not be empty");
        return std::nullopt;
    }
    if (text.find('\0') != std::string_view::npos) {
        field.ctx.diag.error(
            where, "a target in " + quote(field.key) + " must not contain a NUL character");
        return std::nullopt;
    }
    return std::string(text);
}

std::optional<std::vector<Dependency>> from_array(const Field& field, const toml::array& array) {
    std::vector<Dependency> dependencies;
    bool ok = true;
    for (const toml::node& entry : array) {
        const auto text = entry.value_exact<std::string>();
        if (!text) {
            field.ctx.diag.error(entry.source(), "every entry of " + quote(field.key) +
                                                     " must be a program or group name, not " +
                                                     type_phrase(entry));
            ok = false;
            continue;
        }
        auto target = read_target(field, entry.source(), *text);
        if (!target) {
            ok = false;
            continue;
        }
        const bool listed = std::any_of(dependencies.begin(), dependencies.end(),
                                        [&](const Dependency& d) { return d.target == *target; });
        if (listed) {
            field.ctx.diag.error(entry.source(),
                                 quote(*target) + " is listed twice in " + quote(field.key));
            ok = false;
            continue;
        }
        dependencies.push_back(
            Dependency{std::move(*target), Condition::Ready, field.ctx.diag.at(entry.source())});
    }
    if (!ok) return std::nullopt;
    return dependencies;
}

std::optional<std::vector<Dependency>> from_table(const Field& field, const toml::table& table) {
    static const std::vector<std::string_view> kNames = condition_names();
    std::vector<Dependency> dependencies;
    bool ok = true;
    for (auto&& [key, value] : table) {
        auto target = read_target(field, key.source(), key.str());
        const auto text = value.value_exact<std::string>();
        std::optional<Condition> condition = text ? parse_condition(*text) : std::nullopt;
        if (!text) {
            field.ctx.diag.error(value.source(), "the condition on " + quote(key.str()) + " in " +
                                                     quote(field.key) + " must be a string, not " +
                                                     type_phrase(value));
        } else if (!condition) {
            std::string hint = did_you_mean(*text, kNames);
            if (hint.empty()) hint = " (one of started, running, ready, healthy, completed)";
            field.ctx.diag.error(value.source(), "unknown condition " + quote(*text) + " on " +
                                                     quote(key.str()) + hint);
        }
        if (!target || !condition) {
            ok = false;
            continue;
        }
        dependencies.push_back(
            Dependency{std::move(*target), *condition, field.ctx.diag.at(key.source())});
    }
    if (!ok) return std::nullopt;
    // toml++ keeps keys sorted by name; the runtime names what a process
    // waits for in the order the entries were written.
    std::stable_sort(
        dependencies.begin(), dependencies.end(), [](const Dependency& a, const Dependency& b) {
            return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.column < b.pos.column;
        });
    return dependencies;
}

}  // namespace

std::optional<std::vector<Dependency>> read_depends_on(const Field& field) {
    if (const auto* array = field.node.as_array()) return from_array(field, *array);
    if (const auto* table = field.node.as_table()) return from_table(field, *table);
    field.wrong_type("a list of programs like [\"db\"] or a table like { db = \"ready\" }");
    return std::nullopt;
}

}  // namespace superv::config::detail

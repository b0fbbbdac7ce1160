#include "superv/control/selectors.hpp"

#include <algorithm>

namespace superv::control {

namespace {
// Marks the matches of one selector; false if it matched nothing.
bool mark(const std::vector<Named>& table, const std::string& sel, std::vector<bool>& chosen) {
    auto select_if = [&](auto pred) {
        bool any = false;
        for (std::size_t i = 0; i < table.size(); ++i) {
            if (pred(table[i])) chosen[i] = any = true;
        }
        return any;
    };
    if (sel == "all") return select_if([](const Named&) { return true; });
    const auto colon = sel.find(':');
    if (colon != std::string::npos) {
        const std::string group = sel.substr(0, colon);
        const std::string name = sel.substr(colon + 1);
        if (name == "*") return select_if([&](const Named& n) { return n.group == group; });
        return select_if([&](const Named& n) { return n.group == group && n.name == name; });
    }
    if (select_if([&](const Named& n) { return n.name == sel; })) return true;
    return select_if([&](const Named& n) { return n.group == sel; });
}
}  // namespace

Selection select_processes(const std::vector<Named>& table,
                           const std::vector<std::string>& selectors) {
    Selection out;
    std::vector<bool> chosen(table.size(), false);
    for (const auto& sel : selectors) {
        if (!mark(table, sel, chosen)) out.unknown.push_back(sel);
    }
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (chosen[i]) out.indices.push_back(i);
    }
    return out;
}

}  // namespace superv::control

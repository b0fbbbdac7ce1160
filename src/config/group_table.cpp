#include <climits>

#include "table_reader.hpp"
#include "tables.hpp"

namespace superv::config::detail {
namespace {

void read_members(GroupDraft& group, const Field& field) {
    const auto* array = field.node.as_array();
    if (!array) {
        field.wrong_type("an array of program names");
        return;
    }
    for (const toml::node& member : *array) {
        if (auto name = member.value_exact<std::string>()) {
            group.config.programs.push_back(*name);
            group.member_pos.push_back(field.ctx.diag.at(member.source()));
        } else {
            field.ctx.diag.error(member.source(),
                                 "every entry of \"programs\" must be a program "
                                 "name, not " +
                                     type_phrase(member));
        }
    }
    if (array->empty()) {
        field.error("group " + quote(group.config.name) + " must list at least one program");
    }
}

constexpr KeyReader<GroupDraft> kGroupKeys[] = {
    {"programs", read_members},
    {"priority",
     [](GroupDraft& group, const Field& field) {
         if (auto priority = read_int(field, INT_MIN, INT_MAX)) group.config.priority = *priority;
     }},
};

}  // namespace

GroupDraft read_group(std::string_view name, const toml::table& table, const SourcePos& pos,
                      Context& ctx) {
    GroupDraft group;
    group.config.name = std::string(name);
    group.config.pos = pos;
    read_keys<GroupDraft>(table, kGroupKeys, group, ctx, "[groups." + group.config.name + "]");
    if (!table.contains("programs")) {
        ctx.diag.error(pos, "group " + quote(name) + " has no \"programs\"");
    }
    return group;
}

}  // namespace superv::config::detail

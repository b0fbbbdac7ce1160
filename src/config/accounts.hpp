// `user`, `group` and `socket_group` name accounts that must exist now, and
// that superv must be allowed to switch to. Private to src/config.
#pragma once

#include "values.hpp"

namespace superv::config::detail {

// The user name, after checking it exists and that superv (running as
// field.ctx.identity) can become it.
std::optional<std::string> read_user(const Field& field);

// The group name, after checking it exists; with `must_switch`, also that
// superv can make it a process's group.
std::optional<std::string> read_group(const Field& field, bool must_switch);

// An account found by name or by number, as supervisord's name_to_uid and
// name_to_gid find them.
struct Account {
    std::string name;
    unsigned id = 0;
};

// The user `name_or_id` ("www-data" or "33"); nullopt and `problem` (e.g.
// "unknown user \"x\"") when there is none.
std::optional<Account> find_user(const std::string& name_or_id, std::string& problem);
std::optional<Account> find_group(const std::string& name_or_id, std::string& problem);

}  // namespace superv::config::detail

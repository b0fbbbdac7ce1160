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

}  // namespace superv::config::detail

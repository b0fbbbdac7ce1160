// Before a config is written as TOML: the shorter spelling of what an INI
// config (or an expanded one) says at length, where it loads back to the
// same processes. Private to src/config.
#pragma once

#include "superv/config/config.hpp"

namespace superv::config::detail {

// - A group whose members are NAME_00, NAME_01, ... (exactly the names
//   process_name() gives a program NAME with that numprocs), next to each
//   other in file order and identical but for their names, becomes one
//   program NAME with numprocs; the group keeps only it, or goes when it is
//   NAME itself without a priority (numprocs makes that group anyway);
//   not when a `depends_on` names a member.
// - A group that is one program of its own name, without a priority, goes:
//   the program forms that group by itself.
Config simplify_for_writing(Config config);

}  // namespace superv::config::detail

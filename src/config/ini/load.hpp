// Loading supervisord.conf as a given user. Private to src/config; the
// public entry is superv/config/supervisord.hpp.
#pragma once

#include <string>
#include <string_view>

#include "../load_context.hpp"

namespace superv::config::detail::ini {

LoadResult load_ini(std::string_view text, const std::string& source_name, const Identity& identity,
                    const LoadOptions& options);

}  // namespace superv::config::detail::ini

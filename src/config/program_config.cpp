#include "superv/config/config.hpp"

namespace superv::config {

bool ProgramConfig::same_options(const ProgramConfig& other) const {
    ProgramConfig a = *this;
    ProgramConfig b = other;
    a.pos = {};
    b.pos = {};
    return a == b;
}

}  // namespace superv::config

#include "superv/common/result.hpp"

#include <cstring>

namespace superv {

std::string SysError::message() const {
    return std::string(call) + ": " + std::strerror(err);
}

}  // namespace superv

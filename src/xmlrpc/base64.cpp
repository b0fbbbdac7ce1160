#include "base64.hpp"

#include "superv/common/base64.hpp"

namespace superv::xmlrpc::detail {

namespace {
constexpr std::size_t kBytesPerLine = 57;  // 76 characters
}  // namespace

std::string base64_lines(std::string_view bytes) {
    std::string out;
    for (std::size_t line = 0; line < bytes.size(); line += kBytesPerLine) {
        out += base64_encode(bytes.substr(line, kBytesPerLine));
        out += '\n';
    }
    return out;
}

}  // namespace superv::xmlrpc::detail

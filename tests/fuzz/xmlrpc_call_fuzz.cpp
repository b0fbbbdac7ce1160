// libFuzzer target for the XML-RPC decoder: any bytes a client may POST to /RPC2.
// clang-format off
// Build and run: clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude tests/fuzz/xmlrpc_call_fuzz.cpp src/xmlrpc/*.cpp -lexpat -o xmlrpc_call_fuzz && ./xmlrpc_call_fuzz
// clang-format on
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "superv/xmlrpc/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace superv::xmlrpc;
    const std::string_view xml(reinterpret_cast<const char*>(data), size);
    auto parsed = parse_call(xml, Limits{.max_depth = 32, .max_nodes = 10000});
    auto* call = std::get_if<MethodCall>(&parsed);
    if (!call) return 0;
    // What was read encodes to a document that reads back the same: the
    // encoded form is compared, as a NaN is not equal to itself.
    const std::string encoded = encode_call(*call);
    auto again = parse_call(encoded, Limits{.max_depth = 32, .max_nodes = 10000});
    if (!std::holds_alternative<MethodCall>(again) ||
        encode_call(std::get<MethodCall>(again)) != encoded)
        __builtin_trap();
    return 0;
}

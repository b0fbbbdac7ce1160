// The two documents a peer sends: a call (to the daemon) and a response (to a client).
#include <limits>

#include "document.hpp"
#include "superv/xmlrpc/codec.hpp"

namespace superv::xmlrpc {
namespace {

std::variant<Value, Fault, ParseError> fault_of(const Value& value) {
    const Value* code = value.member("faultCode");
    const Value* message = value.member("faultString");
    if (!code || !message)
        return ParseError{"<fault> is not a struct with faultCode and faultString"};
    const auto* number = code->get_if<std::int64_t>();
    if (!number || *number < std::numeric_limits<int>::min() ||
        *number > std::numeric_limits<int>::max())
        return ParseError{"<fault> faultCode is not a 32-bit int"};
    const auto* text = message->get_if<std::string>();
    if (!text) return ParseError{"<fault> faultString is not a string"};
    return Fault{static_cast<int>(*number), *text};
}

}  // namespace

std::variant<MethodCall, ParseError> parse_call(std::string_view xml, const Limits& limits) {
    auto read = detail::read_document(xml, detail::Root::Call, limits);
    if (auto* error = std::get_if<ParseError>(&read)) return std::move(*error);
    auto& document = std::get<detail::Document>(read);
    if (!document.method) return ParseError{"<methodCall> without a <methodName>"};
    if (document.method->empty()) return ParseError{"<methodName> is empty"};
    // Clients may leave out <params> when there are none (supervisord allows it).
    return MethodCall{std::move(*document.method),
                      document.params ? std::move(*document.params) : Array{}};
}

std::variant<Value, Fault, ParseError> parse_response(std::string_view xml, const Limits& limits) {
    auto read = detail::read_document(xml, detail::Root::Response, limits);
    if (auto* error = std::get_if<ParseError>(&read)) return std::move(*error);
    auto& document = std::get<detail::Document>(read);
    if (document.fault) return fault_of(*document.fault);
    if (!document.params) return ParseError{"<methodResponse> without <params> or <fault>"};
    if (document.params->size() != 1)
        return ParseError{"<methodResponse> with " + std::to_string(document.params->size()) +
                          " parameters, not one"};
    return std::move(document.params->front());
}

}  // namespace superv::xmlrpc

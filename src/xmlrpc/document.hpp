// An XML-RPC document read with expat: the parts of a <methodCall> or a
// <methodResponse>, with the structure checked and the limits applied.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "superv/xmlrpc/codec.hpp"

namespace superv::xmlrpc::detail {

enum class Root { Call, Response };

struct Document {
    std::optional<std::string> method;  // <methodName>
    std::optional<Array> params;        // <params>
    std::optional<Value> fault;         // the value of <fault>
};

std::variant<Document, ParseError> read_document(std::string_view xml, Root root,
                                                 const Limits& limits);

}  // namespace superv::xmlrpc::detail

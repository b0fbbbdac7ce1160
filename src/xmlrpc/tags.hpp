// The elements of an XML-RPC document, by what they mean to the decoder.
#pragma once

#include <string_view>

namespace superv::xmlrpc::detail {

enum class Tag {
    Unknown,
    MethodCall,
    MethodResponse,
    MethodName,
    Params,
    Param,
    Fault,
    Value,
    Array,
    Data,
    Struct,
    Member,
    Name,
    // The types a <value> may hold besides <array> and <struct>.
    Int,  // <int>, <i4>, <i8>
    Boolean,
    String,
    Double,
    DateTime,
    Base64,
    Nil,
};

Tag tag_of(std::string_view element);  // Tag::Unknown for any other name

inline bool is_scalar(Tag tag) {
    return tag >= Tag::Int;
}
inline bool is_type(Tag tag) {
    return is_scalar(tag) || tag == Tag::Array || tag == Tag::Struct;
}

}  // namespace superv::xmlrpc::detail

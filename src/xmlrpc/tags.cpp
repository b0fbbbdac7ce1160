#include "tags.hpp"

#include <array>
#include <utility>

namespace superv::xmlrpc::detail {
namespace {

constexpr std::array<std::pair<std::string_view, Tag>, 21> kElements{{
    {"methodCall", Tag::MethodCall},
    {"methodResponse", Tag::MethodResponse},
    {"methodName", Tag::MethodName},
    {"params", Tag::Params},
    {"param", Tag::Param},
    {"fault", Tag::Fault},
    {"value", Tag::Value},
    {"array", Tag::Array},
    {"data", Tag::Data},
    {"struct", Tag::Struct},
    {"member", Tag::Member},
    {"name", Tag::Name},
    {"int", Tag::Int},
    {"i4", Tag::Int},
    {"i8", Tag::Int},  // an extension (Apache, xmlrpc-c) that Python's client reads too
    {"boolean", Tag::Boolean},
    {"string", Tag::String},
    {"double", Tag::Double},
    {"dateTime.iso8601", Tag::DateTime},
    {"base64", Tag::Base64},
    {"nil", Tag::Nil},
}};

}  // namespace

Tag tag_of(std::string_view element) {
    for (const auto& [name, tag] : kElements)
        if (name == element) return tag;
    return Tag::Unknown;
}

}  // namespace superv::xmlrpc::detail

// The text of <int>, <double>, <boolean>, ... as a Value.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "superv/xmlrpc/value.hpp"
#include "tags.hpp"

namespace superv::xmlrpc::detail {

// The value of the scalar element `element` (spelled as in the document, e.g.
// "i4") with character data `text`, or why the text is not one.
std::variant<Value, std::string> scalar_value(Tag tag, std::string_view element, std::string text);

}  // namespace superv::xmlrpc::detail

#include "superv/xmlrpc/value.hpp"

namespace superv::xmlrpc {

const Value* Value::member(std::string_view name) const {
    const auto* members = get_if<Struct>();
    if (!members) return nullptr;
    for (auto it = members->rbegin(); it != members->rend(); ++it)
        if (it->first == name) return &it->second;
    return nullptr;
}

}  // namespace superv::xmlrpc

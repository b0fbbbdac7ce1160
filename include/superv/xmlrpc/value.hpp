// An XML-RPC value: what supervisord's interface sends and receives (issue 13).
// One alternative per XML-RPC type; arrays and structs nest.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace superv::xmlrpc {

struct Value;
using Array = std::vector<Value>;
// Member order is kept and encoded in order. Duplicate names are kept too;
// member() finds the last one, as Python's dict() of the members does.
using Struct = std::vector<std::pair<std::string, Value>>;

struct Nil {  // <nil/>, Python's None
    bool operator==(const Nil&) const = default;
};
struct Base64 {  // decoded bytes of a <base64>
    std::string bytes;
    bool operator==(const Base64&) const = default;
};
struct DateTime {  // the text of a <dateTime.iso8601>, e.g. "20261202T01:02:03", unchecked
    std::string iso8601;
    bool operator==(const DateTime&) const = default;
};

struct Value {
    using Data =
        std::variant<Nil, bool, std::int64_t, double, std::string, Base64, DateTime, Array, Struct>;
    Data data;

    Value() = default;          // nil
    Value(Nil) {}               // NOLINT: implicit by design, so values read like literals
    Value(bool b) : data(b) {}  // NOLINT
    // Every integer type but bool; an unsigned value above INT64_MAX wraps.
    template <std::integral I>
    requires(!std::same_as<I, bool>) Value(I i) : data(static_cast<std::int64_t>(i)) {}  // NOLINT
    Value(double d) : data(d) {}                                                         // NOLINT
    Value(std::string s) : data(std::move(s)) {}                                         // NOLINT
    Value(std::string_view s) : data(std::string(s)) {}                                  // NOLINT
    Value(const char* s) : data(std::string(s)) {}                                       // NOLINT
    Value(Base64 b) : data(std::move(b)) {}                                              // NOLINT
    Value(DateTime t) : data(std::move(t)) {}                                            // NOLINT
    Value(Array a) : data(std::move(a)) {}                                               // NOLINT
    Value(Struct s) : data(std::move(s)) {}                                              // NOLINT

    template <class T>
    bool is() const {
        return std::holds_alternative<T>(data);
    }
    // Throws std::bad_variant_access when the value holds another type.
    template <class T>
    const T& get() const {
        return std::get<T>(data);
    }
    template <class T>
    T& get() {
        return std::get<T>(data);
    }
    template <class T>
    const T* get_if() const {
        return std::get_if<T>(&data);
    }
    // A struct's member by name (the last of that name); null when this is
    // not a struct or has no such member.
    const Value* member(std::string_view name) const;

    bool operator==(const Value&) const = default;
};

}  // namespace superv::xmlrpc

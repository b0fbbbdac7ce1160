#include "scalar.hpp"

#include <charconv>
#include <cstdint>
#include <system_error>

#include "base64.hpp"
#include "superv/common/base64.hpp"
#include "xml_text.hpp"

namespace superv::xmlrpc::detail {
namespace {

// The text in an error message: short, on one line, quoted.
std::string quoted(std::string_view text) {
    constexpr std::size_t kShown = 40;
    std::string out = "\"";
    for (char c : text.substr(0, kShown)) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) {
            constexpr std::string_view kHex = "0123456789abcdef";
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        } else {
            out += c;
        }
    }
    out += text.size() > kShown ? "\"..." : "\"";
    return out;
}

// Python's int() and float(), which supervisord and the client use, allow
// surrounding whitespace and a "+"; std::from_chars allows neither.
std::string_view number_text(std::string_view text) {
    text = trim_blank(text);
    if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
    return text;
}

template <class Number>
std::variant<Value, std::string> number(std::string_view element, std::string_view text,
                                        std::string_view kind) {
    const std::string_view digits = number_text(text);
    Number n{};
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    const std::string where = "<" + std::string(element) + "> ";
    if (ec == std::errc::invalid_argument || end != digits.data() + digits.size() || digits.empty())
        return where + quoted(text) + " is not " + std::string(kind);
    if (ec == std::errc::result_out_of_range)
        return where + quoted(text) + " is out of range for " + std::string(kind);
    return Value(n);
}

}  // namespace

std::variant<Value, std::string> scalar_value(Tag tag, std::string_view element, std::string text) {
    switch (tag) {
        case Tag::Int:
            return number<std::int64_t>(element, text, "a 64-bit integer");
        case Tag::Double:
            return number<double>(element, text, "a double");
        case Tag::Boolean: {
            const std::string_view bit = trim_blank(text);
            if (bit == "0" || bit == "1") return Value(bit == "1");
            return "<boolean> " + quoted(text) + " is neither 0 nor 1";
        }
        case Tag::Base64: {
            auto bytes = superv::base64_decode(text);
            if (!bytes) return "<base64> " + quoted(text) + " is not base64";
            return Value(Base64{std::move(*bytes)});
        }
        case Tag::DateTime:
            return Value(DateTime{std::move(text)});
        case Tag::Nil:
            return Value(Nil{});
        default:
            return Value(std::move(text));  // <string>
    }
}

}  // namespace superv::xmlrpc::detail

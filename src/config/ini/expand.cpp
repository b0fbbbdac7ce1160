#include "expand.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace superv::config::detail::ini {
namespace {

// A conversion spec after its name: %(name)FLAGS WIDTH .PRECISION CONV.
struct Spec {
    bool left = false, plus = false, space = false, alternate = false, zero = false;
    std::size_t width = 0;
    std::optional<std::size_t> precision;
    char conversion = 0;
};

bool is_continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Python pads and truncates by characters, not bytes.
std::size_t characters(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation_byte(c); }));
}

std::string_view first_characters(std::string_view text, std::size_t count) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (is_continuation_byte(text[i])) continue;
        if (seen++ == count) return text.substr(0, i);
    }
    return text;
}

std::string pad(const std::string& lead, const std::string& body, const Spec& spec,
                bool zero_allowed) {
    const std::size_t length = characters(lead) + characters(body);
    if (spec.width <= length) return lead + body;
    const std::size_t fill = spec.width - length;
    if (spec.left) return lead + body + std::string(fill, ' ');
    if (spec.zero && zero_allowed) return lead + std::string(fill, '0') + body;
    return std::string(fill, ' ') + lead + body;
}

std::string format_text(std::string_view text, const Spec& spec) {
    if (spec.precision) text = first_characters(text, *spec.precision);
    return pad("", std::string(text), spec, false);
}

std::string format_integer(long long value, const Spec& spec) {
    const bool negative = value < 0;
    unsigned long long magnitude = negative ? 0ull - static_cast<unsigned long long>(value)
                                            : static_cast<unsigned long long>(value);
    const unsigned base = spec.conversion == 'o'                               ? 8
                          : (spec.conversion == 'x' || spec.conversion == 'X') ? 16
                                                                               : 10;
    const char* digit_chars = spec.conversion == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string digits;
    do {
        digits += digit_chars[magnitude % base];
        magnitude /= base;
    } while (magnitude != 0);
    std::reverse(digits.begin(), digits.end());
    if (spec.precision && digits.size() < *spec.precision) {
        digits.insert(0, *spec.precision - digits.size(), '0');
    }
    std::string lead = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
    if (spec.alternate && base != 10)
        lead += spec.conversion == 'o' ? "0o" : spec.conversion == 'x' ? "0x" : "0X";
    return pad(lead, digits, spec, true);
}

// Python's float conversions match C's printf for these flags.
std::string format_float(long long value, const Spec& spec) {
    std::string format = "%";
    if (spec.left) format += '-';
    if (spec.plus) format += '+';
    if (spec.space) format += ' ';
    if (spec.alternate) format += '#';
    if (spec.zero) format += '0';
    if (spec.width) format += std::to_string(spec.width);
    if (spec.precision) format += "." + std::to_string(*spec.precision);
    format += spec.conversion;
    char buffer[512];
    std::snprintf(buffer, sizeof buffer, format.c_str(), static_cast<double>(value));
    return buffer;
}

class Expander {
  public:
    Expander(const IniValue& value, const Names& names, std::string_view what, Diagnostics& errors)
        : value_(value), text_(value.text), names_(names), what_(what), errors_(errors) {}

    std::optional<std::string> run() {
        while (i_ < text_.size()) {
            if (text_[i_] != '%') {
                out_ += text_[i_++];
            } else if (!conversion()) {
                return std::nullopt;
            }
        }
        return std::move(out_);
    }

  private:
    bool fail(std::size_t start, const std::string& message) {
        errors_.error(value_.at(start), std::string(what_) + ": " + message);
        return false;
    }

    bool conversion() {
        const std::size_t start = i_++;
        if (i_ == text_.size()) {
            return fail(start,
                        "a \"%\" at the end is an incomplete format; write %% for a "
                        "literal %");
        }
        if (text_[i_] == '%') {
            out_ += '%';
            ++i_;
            return true;
        }
        if (text_[i_] != '(') {
            return fail(start, quote(text_.substr(start, 2)) +
                                   " has no name: write %(name)s, or %% for a literal %");
        }
        std::optional<std::string> name = read_name();
        if (!name) return fail(start, "incomplete format: no \")\" closes \"%(\"");
        NameValue value;
        if (*name == "here") {
            value = value_.here;
        } else if (const NameValue* found = names_.find(*name)) {
            value = *found;
        } else {
            return fail(start, unknown_name(*name, text_.substr(start, spec_end(i_) - start)));
        }
        Spec spec;
        if (!read_spec(spec, start)) return false;
        return convert(value, spec, *name, start);
    }

    // Where the conversion spec starting at `i` ends, for messages.
    std::size_t spec_end(std::size_t i) const {
        auto skip = [&](std::string_view chars) {
            while (i < text_.size() && chars.find(text_[i]) != std::string_view::npos)
                ++i;
        };
        skip("-+ #0");
        skip("0123456789*");
        if (i < text_.size() && text_[i] == '.') {
            ++i;
            skip("0123456789*");
        }
        skip("hlL");
        return std::min(i + 1, text_.size());
    }

    // The name after "%(", up to the ")" that balances it, as Python reads it.
    std::optional<std::string> read_name() {
        const std::size_t begin = ++i_;
        int depth = 1;
        while (i_ < text_.size() && depth > 0) {
            if (text_[i_] == '(') ++depth;
            if (text_[i_] == ')') --depth;
            ++i_;
        }
        if (depth > 0) return std::nullopt;
        return std::string(text_.substr(begin, i_ - 1 - begin));
    }

    bool read_spec(Spec& spec, std::size_t start) {
        for (; i_ < text_.size() && std::strchr("-+ #0", text_[i_]) && text_[i_] != '\0'; ++i_) {
            char flag = text_[i_];
            spec.left |= flag == '-';
            spec.plus |= flag == '+';
            spec.space |= flag == ' ';
            spec.alternate |= flag == '#';
            spec.zero |= flag == '0';
        }
        if (!read_number(spec.width, start)) return false;
        if (i_ < text_.size() && text_[i_] == '.') {
            ++i_;
            spec.precision = 0;
            if (!read_number(*spec.precision, start)) return false;
        }
        while (i_ < text_.size() && std::strchr("hlL", text_[i_]) && text_[i_] != '\0')
            ++i_;
        if (i_ == text_.size()) {
            return fail(start, "incomplete format " + quote(text_.substr(start)) +
                                   ": it needs a conversion such as s or d");
        }
        spec.conversion = text_[i_++];
        return true;
    }

    bool read_number(std::size_t& number, std::size_t start) {
        if (i_ < text_.size() && text_[i_] == '*') {
            return fail(start,
                        "a \"*\" width or precision needs an argument list, which "
                        "supervisord's expansions do not have");
        }
        for (; i_ < text_.size() && text_[i_] >= '0' && text_[i_] <= '9'; ++i_) {
            number = number * 10 + static_cast<std::size_t>(text_[i_] - '0');
            if (number > 4096) return fail(start, "the width or precision is too large");
        }
        return true;
    }

    bool convert(const NameValue& value, const Spec& spec, const std::string& name,
                 std::size_t start) {
        const std::string format(text_.substr(start, i_ - start));
        const char c = spec.conversion;
        const std::string* text = std::get_if<std::string>(&value);
        if (c == 's') {
            out_ += format_text(text ? *text : std::to_string(std::get<long long>(value)), spec);
            return true;
        }
        if (std::strchr("diuoxXeEfFgG", c) == nullptr || c == '\0') {
            if (std::strchr("craA", c) != nullptr) {
                return fail(start, quote(format) + ": the %" + std::string(1, c) +
                                       " conversion is not supported; use s, d, i, u, o, x, X, "
                                       "e, f or g");
            }
            return fail(start, quote(format) + ": unsupported format character " +
                                   quote(std::string(1, c)));
        }
        if (text) {
            return fail(start, quote(format) + ": " + quote(name) + " is text, and %" +
                                   std::string(1, c) + " needs a number");
        }
        long long number = std::get<long long>(value);
        out_ +=
            std::strchr("eEfFgG", c) ? format_float(number, spec) : format_integer(number, spec);
        return true;
    }

    std::string unknown_name(const std::string& name, std::string_view format) const {
        std::string message = quote(format) + ": ";
        if (name.rfind("ENV_", 0) == 0) {
            return message + quote(name.substr(4)) + " is not set in superv's environment";
        }
        std::vector<std::string> known{"here"};
        for (const std::string& n : names_.all()) {
            if (n.rfind("ENV_", 0) != 0) known.push_back(n);
        }
        std::sort(known.begin(), known.end());
        const std::vector<std::string_view> candidates(known.begin(), known.end());
        message += "unknown name " + quote(name) + did_you_mean(name, candidates) +
                   "; the names here are ";
        for (const std::string& n : known)
            message += n + ", ";
        return message + "and ENV_ followed by a variable of superv's environment";
    }

    const IniValue& value_;
    std::string_view text_;
    const Names& names_;
    std::string_view what_;
    Diagnostics& errors_;
    std::size_t i_ = 0;
    std::string out_;
};

}  // namespace

const NameValue* Names::find(std::string_view name) const {
    for (auto table = tables_.rbegin(); table != tables_.rend(); ++table) {
        auto found = (*table)->find(name);
        if (found != (*table)->end()) return &found->second;
    }
    return nullptr;
}

std::vector<std::string> Names::all() const {
    std::vector<std::string> names;
    for (const NameTable* table : tables_) {
        for (const auto& entry : *table)
            names.push_back(entry.first);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

std::optional<std::string> expand(const IniValue& value, const Names& names, std::string_view what,
                                  Diagnostics& errors) {
    return Expander(value, names, what, errors).run();
}

NameTable environment_names(char** environment) {
    NameTable names;
    for (char** entry = environment; entry && *entry; ++entry) {
        std::string_view variable(*entry);
        std::size_t equals = variable.find('=');
        if (equals == std::string_view::npos) continue;
        names.emplace("ENV_" + std::string(variable.substr(0, equals)),
                      std::string(variable.substr(equals + 1)));
    }
    return names;
}

}  // namespace superv::config::detail::ini

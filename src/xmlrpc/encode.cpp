// Values to XML the way Python's xmlrpc.client.Marshaller writes them, line
// for line, so responses look like supervisord's.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "base64.hpp"
#include "superv/xmlrpc/codec.hpp"
#include "xml_text.hpp"

namespace superv::xmlrpc {
namespace {

using detail::append_xml_text;

constexpr std::string_view kDeclaration = "<?xml version='1.0'?>\n";

// Python's repr(float): the shortest digits that read back as the same
// double, positional while the decimal exponent is in [-4, 16), else
// scientific ("1e+16", "1.5e-05"); always with a "." or an exponent.
void append_double(std::string& out, double d) {
    if (std::isnan(d)) {
        out += "nan";
        return;
    }
    char buf[64];
    const auto sci = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    const std::string_view scientific(buf, sci.ptr - buf);
    const std::size_t e = scientific.find('e');
    if (e == std::string_view::npos) {  // inf, -inf
        out += scientific;
        return;
    }
    std::string_view exponent_text = scientific.substr(e + 1);
    if (exponent_text.front() == '+') exponent_text.remove_prefix(1);
    int exponent = 0;
    std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
    if (exponent < -4 || exponent >= 16) {
        out += scientific;
        return;
    }
    const auto fixed = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    const std::string_view positional(buf, fixed.ptr - buf);
    out += positional;
    if (positional.find('.') == std::string_view::npos) out += ".0";
}

struct ValueWriter {
    std::string& out;

    void operator()(const Nil&) const { out += "<value><nil/></value>\n"; }
    void operator()(bool b) const {
        out +=
            b ? "<value><boolean>1</boolean></value>\n" : "<value><boolean>0</boolean></value>\n";
    }
    void operator()(std::int64_t i) const {
        // Python's client reads <i8> too, but other clients know only the
        // 32-bit <int> of the specification: use it wherever it fits.
        const bool fits = i >= INT32_MIN && i <= INT32_MAX;
        out += fits ? "<value><int>" : "<value><i8>";
        out += std::to_string(i);
        out += fits ? "</int></value>\n" : "</i8></value>\n";
    }
    void operator()(double d) const {
        out += "<value><double>";
        append_double(out, d);
        out += "</double></value>\n";
    }
    void operator()(const std::string& s) const {
        out += "<value><string>";
        append_xml_text(out, s);
        out += "</string></value>\n";
    }
    void operator()(const Base64& b) const {
        out += "<value><base64>\n";
        out += detail::base64_lines(b.bytes);
        out += "</base64></value>\n";
    }
    void operator()(const DateTime& t) const {
        out += "<value><dateTime.iso8601>";
        append_xml_text(out, t.iso8601);
        out += "</dateTime.iso8601></value>\n";
    }
    void operator()(const Array& items) const {
        out += "<value><array><data>\n";
        for (const Value& item : items)
            std::visit(*this, item.data);
        out += "</data></array></value>\n";
    }
    void operator()(const Struct& members) const {
        out += "<value><struct>\n";
        for (const auto& [name, value] : members) {
            out += "<member>\n<name>";
            append_xml_text(out, name);
            out += "</name>\n";
            std::visit(*this, value.data);
            out += "</member>\n";
        }
        out += "</struct></value>\n";
    }
};

void append_value(std::string& out, const Value& value) {
    std::visit(ValueWriter{out}, value.data);
}

}  // namespace

std::string encode_call(const MethodCall& call) {
    std::string out(kDeclaration);
    out += "<methodCall>\n<methodName>";
    append_xml_text(out, call.method);
    out += "</methodName>\n<params>\n";
    for (const Value& param : call.params) {
        out += "<param>\n";
        append_value(out, param);
        out += "</param>\n";
    }
    out += "</params>\n</methodCall>\n";
    return out;
}

std::string encode_response(const Value& value) {
    std::string out(kDeclaration);
    out += "<methodResponse>\n<params>\n<param>\n";
    append_value(out, value);
    out += "</param>\n</params>\n</methodResponse>\n";
    return out;
}

std::string encode_fault(const Fault& fault) {
    std::string out(kDeclaration);
    out += "<methodResponse>\n<fault>\n";
    append_value(out, Struct{{"faultCode", fault.code}, {"faultString", fault.message}});
    out += "</fault>\n</methodResponse>\n";
    return out;
}

}  // namespace superv::xmlrpc

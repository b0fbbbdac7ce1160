// Encoding: Python's layout, and XML that parses whatever bytes a string holds.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "superv/xmlrpc/codec.hpp"

namespace superv::xmlrpc {
namespace {

constexpr std::string_view kHead = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n";
constexpr std::string_view kTail = "</param>\n</params>\n</methodResponse>\n";

// The <value> line(s) encode_response writes for `v`.
std::string value_xml(const Value& v) {
    const std::string doc = encode_response(v);
    EXPECT_EQ(doc.substr(0, kHead.size()), kHead);
    EXPECT_GE(doc.size(), kHead.size() + kTail.size());
    EXPECT_EQ(doc.substr(doc.size() - kTail.size()), kTail);
    return doc.substr(kHead.size(), doc.size() - kHead.size() - kTail.size());
}

std::string string_xml(std::string_view s) {
    return value_xml(Value(s));
}

TEST(XmlrpcEncode, AResponseIsLaidOutAsPythonsDumps) {
    // xmlrpc.client.dumps(({"a": 1, "b": [1, 2.5, "s<&>", True, None, Binary(b"hi"),
    // DateTime("20261202T01:02:03")], "c": {}},), methodresponse=True, allow_none=True),
    // except that Python forgets the line break after <nil/>.
    const Value v = Struct{
        {"a", 1},
        {"b", Array{1, 2.5, "s<&>", true, Nil{}, Base64{"hi"}, DateTime{"20261202T01:02:03"}}},
        {"c", Struct{}}};
    EXPECT_EQ(encode_response(v), R"(<?xml version='1.0'?>
<methodResponse>
<params>
<param>
<value><struct>
<member>
<name>a</name>
<value><int>1</int></value>
</member>
<member>
<name>b</name>
<value><array><data>
<value><int>1</int></value>
<value><double>2.5</double></value>
<value><string>s&lt;&amp;&gt;</string></value>
<value><boolean>1</boolean></value>
<value><nil/></value>
<value><base64>
aGk=
</base64></value>
<value><dateTime.iso8601>20261202T01:02:03</dateTime.iso8601></value>
</data></array></value>
</member>
<member>
<name>c</name>
<value><struct>
</struct></value>
</member>
</struct></value>
</param>
</params>
</methodResponse>
)");
}

TEST(XmlrpcEncode, AFaultIsLaidOutAsPythonsDumps) {
    EXPECT_EQ(encode_fault({10, "BAD_NAME: foo"}), R"(<?xml version='1.0'?>
<methodResponse>
<fault>
<value><struct>
<member>
<name>faultCode</name>
<value><int>10</int></value>
</member>
<member>
<name>faultString</name>
<value><string>BAD_NAME: foo</string></value>
</member>
</struct></value>
</fault>
</methodResponse>
)");
}

TEST(XmlrpcEncode, ACallIsLaidOutAsPythonsDumps) {
    EXPECT_EQ(encode_call({"supervisor.getState", {}}), R"(<?xml version='1.0'?>
<methodCall>
<methodName>supervisor.getState</methodName>
<params>
</params>
</methodCall>
)");
    EXPECT_EQ(encode_call({"supervisor.startProcess", {"web", true}}), R"(<?xml version='1.0'?>
<methodCall>
<methodName>supervisor.startProcess</methodName>
<params>
<param>
<value><string>web</string></value>
</param>
<param>
<value><boolean>1</boolean></value>
</param>
</params>
</methodCall>
)");
}

TEST(XmlrpcEncode, IntsOutsideThirtyTwoBitsAreI8) {
    EXPECT_EQ(value_xml(INT32_MAX), "<value><int>2147483647</int></value>\n");
    EXPECT_EQ(value_xml(INT32_MIN), "<value><int>-2147483648</int></value>\n");
    EXPECT_EQ(value_xml(std::int64_t{INT32_MAX} + 1), "<value><i8>2147483648</i8></value>\n");
    EXPECT_EQ(value_xml(INT64_MIN), "<value><i8>-9223372036854775808</i8></value>\n");
    EXPECT_EQ(value_xml(false), "<value><boolean>0</boolean></value>\n");
}

TEST(XmlrpcEncode, DoublesAsPythonsRepr) {
    const std::pair<double, std::string_view> cases[] = {
        {2.5, "2.5"},
        {2.0, "2.0"},
        {1e15, "1000000000000000.0"},
        {1e16, "1e+16"},
        {1.5e-5, "1.5e-05"},
        {0.0001, "0.0001"},
        {-0.0, "-0.0"},
        {0.1, "0.1"},
        {1.0 / 3, "0.3333333333333333"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {123456789.123, "123456789.123"},
        {12345678901234567.0, "1.2345678901234568e+16"},
        {HUGE_VAL, "inf"},
        {-HUGE_VAL, "-inf"},
        {-std::nan(""), "nan"},
    };
    for (const auto& [d, text] : cases)
        EXPECT_EQ(value_xml(d), "<value><double>" + std::string(text) + "</double></value>\n") << d;
}

TEST(XmlrpcEncode, EscapesMarkupInStringsNamesAndFaults) {
    EXPECT_EQ(string_xml("a&b<c>d]]>"),
              "<value><string>a&amp;b&lt;c&gt;d]]&gt;</string></value>\n");
    EXPECT_EQ(value_xml(Struct{{"<k>", 1}}),
              "<value><struct>\n<member>\n<name>&lt;k&gt;</name>\n<value><int>1</int></value>\n"
              "</member>\n</struct></value>\n");
    EXPECT_NE(encode_fault({1, "x < y & z"}).find("<string>x &lt; y &amp; z</string>"),
              std::string::npos);
    EXPECT_NE(encode_call({"a&b", {}}).find("<methodName>a&amp;b</methodName>"), std::string::npos);
}

TEST(XmlrpcEncode, KeepsACarriageReturnAsAReference) {
    EXPECT_EQ(string_xml("progress\r100%\r\n"),
              "<value><string>progress&#13;100%&#13;\n</string></value>\n");
}

TEST(XmlrpcEncode, KeepsValidUtf8AndTheWhitespaceXmlAllows) {
    const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBD \xC2\x85\t\n";
    EXPECT_EQ(string_xml(text), "<value><string>" + text + "</string></value>\n");
}

TEST(XmlrpcEncode, ReplacesInvalidUtf8AsPythonsReplaceErrorHandler) {
    const std::string_view fffd = "\xEF\xBF\xBD";
    auto times = [&](int n) {
        std::string s;
        for (int i = 0; i < n; ++i)
            s += fffd;
        return s;
    };
    // Each pair: the bytes, and what b.decode("utf-8", "replace") makes of them.
    const std::pair<std::string, std::string> cases[] = {
        {"\xFF", times(1)},
        {"a\xC3", "a" + times(1)},                 // cut short at the end
        {"\xE2\x82z", times(1) + "z"},             // cut short before another character
        {"\xC0\xAF", times(2)},                    // an overlong "/"
        {"\xED\xA0\x80", times(3)},                // a UTF-16 surrogate
        {"\xF0\x9F\x98", times(1)},                // three of four bytes
        {"\xF4\x90\x80\x80", times(4)},            // above U+10FFFF
        {"ok\x80\x80ok", "ok" + times(2) + "ok"},  // stray continuation bytes
    };
    for (const auto& [bytes, want] : cases)
        EXPECT_EQ(string_xml(bytes), "<value><string>" + want + "</string></value>\n");
}

TEST(XmlrpcEncode, ReplacesCharactersXmlForbids) {
    const std::string_view fffd = "\xEF\xBF\xBD";
    const std::string controls("\x00\x01\x08\x0B\x0C\x1B\x1F", 7);
    std::string want;
    for (std::size_t i = 0; i < controls.size(); ++i)
        want += fffd;
    EXPECT_EQ(string_xml("[" + controls + "]"), "<value><string>[" + want + "]</string></value>\n");
    EXPECT_EQ(string_xml("\xEF\xBF\xBE\xEF\xBF\xBF"),  // U+FFFE, U+FFFF
              "<value><string>" + std::string(fffd) + std::string(fffd) + "</string></value>\n");
    EXPECT_EQ(value_xml(Struct{{std::string("\x01", 1), 1}}).find('\x01'), std::string::npos);
    EXPECT_EQ(value_xml(DateTime{"\x02"}).find('\x02'), std::string::npos);
}

TEST(XmlrpcEncode, Base64InLinesOfSeventySixAsPython) {
    // base64.encodebytes(b"x" * 60)
    EXPECT_EQ(value_xml(Base64{std::string(60, 'x')}),
              "<value><base64>\n"
              "eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4\n"
              "eHh4\n"
              "</base64></value>\n");
    EXPECT_EQ(value_xml(Base64{""}), "<value><base64>\n</base64></value>\n");
    EXPECT_EQ(value_xml(Base64{"hello"}), "<value><base64>\naGVsbG8=\n</base64></value>\n");
}

}  // namespace
}  // namespace superv::xmlrpc

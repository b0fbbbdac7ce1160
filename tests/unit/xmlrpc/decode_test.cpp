// Decoding what clients send: Python's xmlrpc.client (supervisorctl) and the
// looser forms supervisord's own decoder accepts.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "superv/xmlrpc/codec.hpp"

namespace superv::xmlrpc {
namespace {

// A call, or a failed expectation naming why it was refused.
MethodCall call(std::string_view xml) {
    auto parsed = parse_call(xml);
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        ADD_FAILURE() << "refused: " << error->message;
        return {};
    }
    return std::get<MethodCall>(parsed);
}

// The one parameter of a call whose <params> holds `param_xml`.
Value param(std::string_view value_xml) {
    const MethodCall c = call("<methodCall><methodName>m</methodName><params><param>" +
                              std::string(value_xml) + "</param></params></methodCall>");
    if (c.params.size() != 1) {
        ADD_FAILURE() << c.params.size() << " parameters";
        return {};
    }
    return c.params[0];
}

TEST(XmlrpcDecode, ReadsACallAsPythonsClientWritesIt) {
    // xmlrpc.client.dumps(("supervisor:1", 3, -2**31, True, 2.5, {...}, [...],
    // Binary(b"\x00\xff"), DateTime(...)), methodname="supervisor.test")
    const MethodCall c = call(R"(<?xml version='1.0'?>
<methodCall>
<methodName>supervisor.test</methodName>
<params>
<param>
<value><string>supervisor:1</string></value>
</param>
<param>
<value><int>3</int></value>
</param>
<param>
<value><int>-2147483648</int></value>
</param>
<param>
<value><boolean>1</boolean></value>
</param>
<param>
<value><double>2.5</double></value>
</param>
<param>
<value><struct>
<member>
<name>name</name>
<value><string>web</string></value>
</member>
<member>
<name>pid</name>
<value><int>42</int></value>
</member>
</struct></value>
</param>
<param>
<value><array><data>
<value><string>a</string></value>
<value><double>1.0</double></value>
</data></array></value>
</param>
<param>
<value><base64>
AP8=
</base64></value>
</param>
<param>
<value><dateTime.iso8601>20261202T01:02:03</dateTime.iso8601></value>
</param>
</params>
</methodCall>
)");
    const MethodCall want{
        "supervisor.test",
        {"supervisor:1", 3, -2147483648LL, true, 2.5, Struct{{"name", "web"}, {"pid", 42}},
         Array{"a", 1.0}, Base64{std::string("\x00\xff", 2)}, DateTime{"20261202T01:02:03"}}};
    EXPECT_EQ(c, want);
}

TEST(XmlrpcDecode, AcceptsACallWithoutParams) {
    EXPECT_EQ(call("<methodCall><methodName>supervisor.getState</methodName></methodCall>"),
              (MethodCall{"supervisor.getState", {}}));
    EXPECT_EQ(call("<methodCall><methodName>system.listMethods</methodName><params/></methodCall>"),
              (MethodCall{"system.listMethods", {}}));
}

TEST(XmlrpcDecode, ReadsEveryIntegerSpelling) {
    EXPECT_EQ(param("<value><int>7</int></value>"), Value(7));
    EXPECT_EQ(param("<value><i4>-7</i4></value>"), Value(-7));
    EXPECT_EQ(param("<value><i8>9223372036854775807</i8></value>"), Value(INT64_MAX));
    EXPECT_EQ(param("<value><i8>-9223372036854775808</i8></value>"), Value(INT64_MIN));
    EXPECT_EQ(param("<value><int> +12\n</int></value>"), Value(12));  // as Python's int()
}

TEST(XmlrpcDecode, ReadsBooleansAsZeroOrOne) {
    EXPECT_EQ(param("<value><boolean>0</boolean></value>"), Value(false));
    EXPECT_EQ(param("<value><boolean>1</boolean></value>"), Value(true));
}

TEST(XmlrpcDecode, ReadsDoubles) {
    EXPECT_EQ(param("<value><double>-0.5</double></value>"), Value(-0.5));
    EXPECT_EQ(param("<value><double>1e+16</double></value>"), Value(1e16));
    EXPECT_EQ(param("<value><double>3</double></value>"), Value(3.0));
    EXPECT_EQ(param("<value><double>-inf</double></value>"), Value(-HUGE_VAL));
    EXPECT_TRUE(std::isnan(param("<value><double>nan</double></value>").get<double>()));
}

TEST(XmlrpcDecode, KeepsWhitespaceAndEntitiesInsideStrings) {
    EXPECT_EQ(param("<value><string>  a &amp; b\n&lt;c&gt; </string></value>"),
              Value("  a & b\n<c> "));
    EXPECT_EQ(param("<value><string>tab\there&#13;</string></value>"), Value("tab\there\r"));
    EXPECT_EQ(param("<value><string><![CDATA[<raw & text>]]></string></value>"),
              Value("<raw & text>"));
    EXPECT_EQ(param("<value><string>caf\xC3\xA9 \xF0\x9F\x98\x80</string></value>"),
              Value("caf\xC3\xA9 \xF0\x9F\x98\x80"));
}

TEST(XmlrpcDecode, ReadsAnUntypedValueAsAString) {
    EXPECT_EQ(param("<value>plain text</value>"), Value("plain text"));
    EXPECT_EQ(param("<value>  spaced  </value>"), Value("  spaced  "));
}

TEST(XmlrpcDecode, ReadsEmptyValuesAsEmptyStrings) {
    EXPECT_EQ(param("<value/>"), Value(""));
    EXPECT_EQ(param("<value></value>"), Value(""));
    EXPECT_EQ(param("<value><string/></value>"), Value(""));
    EXPECT_EQ(param("<value><string></string></value>"), Value(""));
}

TEST(XmlrpcDecode, IgnoresWhitespaceAroundATypedValue) {
    EXPECT_EQ(param("<value>\n  <int>5</int>\n</value>"), Value(5));
}

TEST(XmlrpcDecode, ReadsNil) {
    EXPECT_EQ(param("<value><nil/></value>"), Value(Nil{}));
    EXPECT_EQ(param("<value><nil></nil></value>"), Value(Nil{}));
}

TEST(XmlrpcDecode, ReadsBase64AcrossLines) {
    EXPECT_EQ(param("<value><base64>aGVs\nbG8=</base64></value>"), Value(Base64{"hello"}));
    EXPECT_EQ(param("<value><base64> aGVsbG8=\n</base64></value>"), Value(Base64{"hello"}));
    EXPECT_EQ(param("<value><base64></base64></value>"), Value(Base64{""}));
}

TEST(XmlrpcDecode, ReadsNestedArraysAndStructsInOrder) {
    const Value v = param(
        "<value><struct>"
        "<member><name>z</name><value><array><data>"
        "<value><int>1</int></value><value><array><data/></array></value>"
        "</data></array></value></member>"
        "<member><name>a</name><value><struct></struct></value></member>"
        "<member><name></name><value>x</value></member>"
        "</struct></value>");
    EXPECT_EQ(v, Value(Struct{{"z", Array{1, Array{}}}, {"a", Struct{}}, {"", "x"}}));
    ASSERT_NE(v.member("a"), nullptr);
    EXPECT_TRUE(v.member("a")->is<Struct>());
    EXPECT_EQ(v.member("missing"), nullptr);
}

TEST(XmlrpcDecode, FindsTheLastOfDuplicateMembersAsPythonsDictDoes) {
    const Value v = param(
        "<value><struct><member><name>k</name><value>first</value></member>"
        "<member><name>k</name><value>last</value></member></struct></value>");
    ASSERT_NE(v.member("k"), nullptr);
    EXPECT_EQ(*v.member("k"), Value("last"));
    EXPECT_EQ(v.get<Struct>().size(), 2u);
}

TEST(XmlrpcDecode, IgnoresCommentsProcessingInstructionsAndAttributes) {
    EXPECT_EQ(call("<?xml version='1.0'?><!-- hi --><methodCall><?pi x?>"
                   "<methodName lang='en'>m</methodName><params><param>"
                   "<value><!-- c --><int>1</int></value></param></params></methodCall>"),
              (MethodCall{"m", {1}}));
}

TEST(XmlrpcDecode, ReadsTheEncodingTheDeclarationNames) {
    // Python: dumps(("\xe9",), methodresponse=True, encoding="iso-8859-1")
    const auto latin1 = parse_response(
        "<?xml version='1.0' encoding='iso-8859-1'?>\n<methodResponse><params><param>"
        "<value><string>\xE9</string></value></param></params></methodResponse>");
    ASSERT_TRUE(std::holds_alternative<Value>(latin1));
    EXPECT_EQ(std::get<Value>(latin1), Value("\xC3\xA9"));

    std::string utf16 = "\xFF\xFE";  // little-endian, with a byte order mark
    for (char c : std::string_view("<methodCall><methodName>m\xE9</methodName></methodCall>")) {
        utf16 += c;
        utf16 += '\0';
    }
    EXPECT_EQ(call(utf16).method, "m\xC3\xA9");
}

TEST(XmlrpcDecode, ReadsAResponseAndAFault) {
    const auto response = parse_response(
        "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
        "<value><string>RUNNING</string></value>\n</param>\n</params>\n</methodResponse>\n");
    ASSERT_TRUE(std::holds_alternative<Value>(response));
    EXPECT_EQ(std::get<Value>(response), Value("RUNNING"));

    const auto fault = parse_response(
        "<methodResponse><fault><value><struct>"
        "<member><name>faultCode</name><value><int>10</int></value></member>"
        "<member><name>faultString</name><value><string>BAD_NAME: foo</string></value></member>"
        "</struct></value></fault></methodResponse>");
    ASSERT_TRUE(std::holds_alternative<Fault>(fault));
    EXPECT_EQ(std::get<Fault>(fault), (Fault{10, "BAD_NAME: foo"}));
}

}  // namespace
}  // namespace superv::xmlrpc

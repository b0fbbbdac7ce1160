// What the decoder refuses, and that it says why in one line with a position.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "superv/xmlrpc/codec.hpp"

namespace superv::xmlrpc {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// Why parse_call refused `xml` ("" when it did not).
std::string refusal(std::string_view xml, const Limits& limits = {}) {
    auto parsed = parse_call(xml, limits);
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        EXPECT_EQ(error->message.find('\n'), std::string::npos) << error->message;
        return error->message;
    }
    ADD_FAILURE() << "accepted: " << xml;
    return "";
}

std::string with_param(std::string_view value_xml) {
    return "<methodCall><methodName>m</methodName><params><param>" + std::string(value_xml) +
           "</param></params></methodCall>";
}

TEST(XmlrpcRefusal, MalformedXmlNamesExpatsReasonAndThePosition) {
    EXPECT_EQ(refusal("<methodCall>\n  <methodName>m</methodName>\n  <params><</params>"),
              "not well-formed (invalid token) at line 3, column 12");
}

TEST(XmlrpcRefusal, TruncatedDocuments) {
    const std::string whole = with_param(
        "<value><struct><member><name>a</name>"
        "<value><int>1</int></value></member></struct></value>");
    for (std::size_t n = 0; n < whole.size(); ++n)
        EXPECT_NE(refusal(std::string_view(whole).substr(0, n)), "") << n;
    EXPECT_THAT(refusal(""), HasSubstr("no element found"));
    EXPECT_THAT(refusal("<methodCall><methodName>m"), HasSubstr("no element found"));
}

TEST(XmlrpcRefusal, GarbageAndJunkAfterTheDocument) {
    EXPECT_THAT(refusal("\x01\x02\xff garbage"), HasSubstr("not well-formed"));
    EXPECT_THAT(refusal("GET / HTTP/1.1\r\n\r\n"), HasSubstr("syntax error"));
    EXPECT_THAT(refusal("<methodCall><methodName>m</methodName></methodCall><x/>"),
                HasSubstr("junk after document element"));
}

TEST(XmlrpcRefusal, InvalidUtf8) {
    EXPECT_THAT(refusal(with_param("<value><string>\xC3\x28</string></value>")),
                HasSubstr("not well-formed (invalid token)"));
    EXPECT_THAT(refusal(with_param("<value>\xED\xA0\x80</value>")),  // a UTF-16 surrogate
                HasSubstr("not well-formed (invalid token)"));
    EXPECT_THAT(refusal(with_param("<value>&#1;</value>")),
                HasSubstr("reference to invalid character number"));
}

TEST(XmlrpcRefusal, BillionLaughsBeforeAnyExpansion) {
    std::string bomb = "<?xml version='1.0'?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
    for (int i = 1; i < 10; ++i) {
        std::string previous = "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
        bomb += "<!ENTITY lol" + std::to_string(i) + " \"";
        for (int k = 0; k < 10; ++k)
            bomb += previous;
        bomb += "\">\n";
    }
    bomb += "]>\n<methodCall><methodName>&lol9;</methodName></methodCall>";
    // Refused where the internal subset opens, before its first declaration.
    EXPECT_EQ(refusal(bomb), "a DOCTYPE is not allowed in XML-RPC at line 2, column 16");
}

TEST(XmlrpcRefusal, ExternalEntitiesAndAnyDoctype) {
    EXPECT_THAT(refusal("<!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        "<methodCall><methodName>&x;</methodName></methodCall>"),
                HasSubstr("DOCTYPE is not allowed"));
    EXPECT_THAT(refusal("<!DOCTYPE methodCall SYSTEM \"http://example.com/x.dtd\">"
                        "<methodCall><methodName>m</methodName></methodCall>"),
                HasSubstr("DOCTYPE is not allowed"));
    EXPECT_THAT(refusal("<!DOCTYPE methodCall><methodCall><methodName>m</methodName></methodCall>"),
                HasSubstr("DOCTYPE is not allowed"));
    // Without a DTD no entity but the five predefined ones exists.
    EXPECT_THAT(refusal("<methodCall><methodName>&x;</methodName></methodCall>"),
                HasSubstr("undefined entity"));
}

TEST(XmlrpcRefusal, TheWrongDocument) {
    EXPECT_EQ(refusal("<methodResponse/>"),
              "expected <methodCall>, found <methodResponse> at line 1, column 1");
    EXPECT_EQ(refusal("<methodCall/>"), "<methodCall> without a <methodName>");
    EXPECT_EQ(refusal("<methodCall><methodName/></methodCall>"), "<methodName> is empty");
    auto response = parse_response("<methodCall><methodName>m</methodName></methodCall>");
    ASSERT_TRUE(std::holds_alternative<ParseError>(response));
    EXPECT_THAT(std::get<ParseError>(response).message,
                HasSubstr("expected <methodResponse>, found <methodCall>"));
}

TEST(XmlrpcRefusal, WrongStructure) {
    EXPECT_THAT(refusal("<methodCall><methodName>a</methodName><methodName>b</methodName>"
                        "</methodCall>"),
                HasSubstr("two <methodName> in <methodCall>"));
    EXPECT_THAT(refusal("<methodCall><methodName>m</methodName><params/><params/></methodCall>"),
                HasSubstr("two <params> in <methodCall>"));
    EXPECT_THAT(refusal("<methodCall><methodName>m</methodName><params><value/></params>"
                        "</methodCall>"),
                HasSubstr("unexpected <value> in <params>"));
    EXPECT_THAT(refusal("<methodCall><methodName>m</methodName><params><param/></params>"
                        "</methodCall>"),
                HasSubstr("<param> without a <value>"));
    EXPECT_THAT(refusal(with_param("<value/><value/>")), HasSubstr("two values in one <param>"));
    EXPECT_THAT(refusal(with_param("<value><int>1</int><int>2</int></value>")),
                HasSubstr("two values in one <value>"));
    EXPECT_THAT(refusal(with_param("<value>text<int>1</int></value>")),
                HasSubstr("text and a typed value in one <value>"));
    EXPECT_THAT(refusal(with_param("<value><int>1</int>text</value>")),
                HasSubstr("text and a typed value in one <value>"));
    EXPECT_THAT(refusal(with_param("<value><array><data>x</data></array></value>")),
                HasSubstr("text in <data>"));
    EXPECT_THAT(refusal(with_param("<value><array/></value>")),
                HasSubstr("<array> without <data>"));
    EXPECT_THAT(refusal(with_param("<value><array><value/></array></value>")),
                HasSubstr("unexpected <value> in <array>"));
    EXPECT_THAT(refusal(with_param("<value><int><int>1</int></int></value>")),
                HasSubstr("unexpected <int> in <int>"));
    EXPECT_THAT(refusal(with_param("<value><nil>x</nil></value>")), HasSubstr("text in <nil>"));
}

TEST(XmlrpcRefusal, StructMembersWithoutANameOrAValue) {
    EXPECT_THAT(refusal(with_param("<value><struct><member><value/></member></struct></value>")),
                HasSubstr("a struct <member> holds one <name>, then one <value>"));
    EXPECT_THAT(refusal(with_param("<value><struct><member><name>a</name></member></struct>"
                                   "</value>")),
                HasSubstr("struct member \"a\" without a <value>"));
    EXPECT_THAT(refusal(with_param("<value><struct><member></member></struct></value>")),
                HasSubstr("struct member without a <name>"));
    EXPECT_THAT(refusal(with_param("<value><struct><member><name>a</name><value/><value/>"
                                   "</member></struct></value>")),
                HasSubstr("a struct <member> holds one <name>, then one <value>"));
    EXPECT_THAT(refusal(with_param("<value><struct><value/></struct></value>")),
                HasSubstr("unexpected <value> in <struct>"));
}

TEST(XmlrpcRefusal, UnknownTypesAndElements) {
    EXPECT_EQ(refusal(with_param("<value><float>1</float></value>")),
              "unknown type <float> at line 1, column 61");
    EXPECT_THAT(refusal(with_param("<value><ex:nil/></value>")),
                HasSubstr("unknown type <ex:nil>"));
    EXPECT_THAT(refusal("<methodCall><methodName>m</methodName><extra/></methodCall>"),
                HasSubstr("unexpected <extra> in <methodCall>"));
}

TEST(XmlrpcRefusal, BadNumbersBooleansAndBase64) {
    EXPECT_EQ(refusal(with_param("<value><int>12a</int></value>")),
              "<int> \"12a\" is not a 64-bit integer at line 1, column 69");
    EXPECT_THAT(refusal(with_param("<value><i4></i4></value>")),
                HasSubstr("<i4> \"\" is not a 64-bit integer"));
    EXPECT_THAT(refusal(with_param("<value><int>1.0</int></value>")),
                HasSubstr("is not a 64-bit integer"));
    EXPECT_THAT(refusal(with_param("<value><int>+-1</int></value>")),
                HasSubstr("is not a 64-bit integer"));
    EXPECT_THAT(refusal(with_param("<value><i8>9223372036854775808</i8></value>")),
                HasSubstr("<i8> \"9223372036854775808\" is out of range for a 64-bit integer"));
    EXPECT_THAT(refusal(with_param("<value><double>one</double></value>")),
                HasSubstr("<double> \"one\" is not a double"));
    EXPECT_THAT(refusal(with_param("<value><double>1e999</double></value>")),
                HasSubstr("is out of range for a double"));
    EXPECT_THAT(refusal(with_param("<value><boolean>true</boolean></value>")),
                HasSubstr("<boolean> \"true\" is neither 0 nor 1"));
    EXPECT_THAT(refusal(with_param("<value><boolean>2</boolean></value>")),
                HasSubstr("is neither 0 nor 1"));
    EXPECT_THAT(refusal(with_param("<value><base64>a*b=</base64></value>")),
                HasSubstr("<base64> \"a*b=\" is not base64"));
    // As Python's base64.decodebytes (supervisord, xmlrpc.client): padding is required.
    EXPECT_THAT(refusal(with_param("<value><base64>aGVsbG8</base64></value>")),
                HasSubstr("is not base64"));
    EXPECT_THAT(refusal(with_param("<value><base64>aGVsbG8=x</base64></value>")),
                HasSubstr("is not base64"));
    EXPECT_THAT(refusal(with_param("<value><base64>a</base64></value>")),
                HasSubstr("is not base64"));
}

TEST(XmlrpcRefusal, QuotesLongOrControlTextShortAndOnOneLine) {
    EXPECT_THAT(refusal(with_param("<value><int>" + std::string(100, '9') + "x</int></value>")),
                HasSubstr("\"" + std::string(40, '9') + "\"... is not"));
    EXPECT_THAT(refusal(with_param("<value><int>1\n\t2</int></value>")),
                HasSubstr("\"1\\x0a\\x092\" is not"));
}

std::string nested_arrays(std::size_t depth) {
    std::string xml;
    for (std::size_t i = 0; i < depth; ++i)
        xml += "<value><array><data>";
    for (std::size_t i = 0; i < depth; ++i)
        xml += "</data></array></value>";
    return with_param(xml);
}

TEST(XmlrpcRefusal, NestingDeeperThanTheLimit) {
    EXPECT_TRUE(std::holds_alternative<MethodCall>(parse_call(nested_arrays(32))));
    EXPECT_THAT(refusal(nested_arrays(33)), HasSubstr("values nested deeper than 32"));
    EXPECT_THAT(refusal(nested_arrays(5), Limits{.max_depth = 4}),
                HasSubstr("values nested deeper than 4"));
    EXPECT_THAT(refusal(nested_arrays(100000)), HasSubstr("values nested deeper than 32"));
}

TEST(XmlrpcRefusal, MoreValuesThanTheLimit) {
    auto values = [](std::size_t n) {
        std::string xml = "<value><array><data>";
        for (std::size_t i = 1; i < n; ++i)
            xml += "<value/>";
        return with_param(xml + "</data></array></value>");
    };
    EXPECT_TRUE(
        std::holds_alternative<MethodCall>(parse_call(values(10), Limits{.max_nodes = 10})));
    EXPECT_THAT(refusal(values(11), Limits{.max_nodes = 10}), HasSubstr("more than 10 values"));
    EXPECT_THAT(refusal(values(200001)), HasSubstr("more than 200000 values"));
}

TEST(XmlrpcRefusal, FaultsThatAreNotFaults) {
    auto fault_refusal = [](std::string_view value_xml) {
        auto parsed = parse_response("<methodResponse><fault>" + std::string(value_xml) +
                                     "</fault></methodResponse>");
        return std::holds_alternative<ParseError>(parsed) ? std::get<ParseError>(parsed).message
                                                          : "accepted";
    };
    EXPECT_EQ(fault_refusal("<value>oops</value>"),
              "<fault> is not a struct with faultCode and faultString");
    EXPECT_EQ(fault_refusal("<value><struct><member><name>faultCode</name><value>x</value>"
                            "</member><member><name>faultString</name><value>y</value></member>"
                            "</struct></value>"),
              "<fault> faultCode is not a 32-bit int");
    EXPECT_EQ(fault_refusal("<value><struct><member><name>faultCode</name><value><int>1</int>"
                            "</value></member><member><name>faultString</name><value><int>2"
                            "</int></value></member></struct></value>"),
              "<fault> faultString is not a string");
    EXPECT_THAT(fault_refusal(""), MatchesRegex("<fault> without a <value> at line 1, column .*"));
}

TEST(XmlrpcRefusal, ResponsesWithoutExactlyOneParameter) {
    auto response_refusal = [](std::string_view xml) {
        auto parsed = parse_response(xml);
        return std::holds_alternative<ParseError>(parsed) ? std::get<ParseError>(parsed).message
                                                          : "accepted";
    };
    EXPECT_EQ(response_refusal("<methodResponse/>"),
              "<methodResponse> without <params> or <fault>");
    EXPECT_EQ(response_refusal("<methodResponse><params/></methodResponse>"),
              "<methodResponse> with 0 parameters, not one");
    EXPECT_THAT(response_refusal("<methodResponse><params/><fault/></methodResponse>"),
                HasSubstr("a <methodResponse> holds one <params> or one <fault>"));
}

}  // namespace
}  // namespace superv::xmlrpc

// What we encode, we (and so a client like ours) read back as the same value.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "superv/xmlrpc/codec.hpp"

namespace superv::xmlrpc {
namespace {

Value read_back(const Value& v) {
    auto parsed = parse_response(encode_response(v));
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        ADD_FAILURE() << error->message;
        return {};
    }
    EXPECT_TRUE(std::holds_alternative<Value>(parsed));
    return std::holds_alternative<Value>(parsed) ? std::get<Value>(parsed) : Value();
}

std::string every_byte() {
    std::string bytes;
    for (int b = 0; b < 256; ++b)
        bytes += static_cast<char>(b);
    return bytes;
}

TEST(XmlrpcRoundTrip, EveryScalarType) {
    const Value values[] = {
        Nil{},
        true,
        false,
        0,
        -1,
        INT32_MAX,
        std::int64_t{INT32_MAX} + 1,
        INT64_MAX,
        INT64_MIN,
        0.0,
        -0.0,
        0.1,
        1.0 / 3,
        5e-324,
        1e300,
        -1.7976931348623157e308,
        HUGE_VAL,
        "",
        "plain",
        "  leading and trailing  ",
        "\n",
        "lines\r\nwith CR\rand <markup> & \"quotes\" 'too' ]]>",
        "caf\xC3\xA9 \xF0\x9F\x98\x80 \xEF\xBF\xBD",
        Base64{""},
        Base64{every_byte()},
        DateTime{"20261202T01:02:03"},
        DateTime{""},
    };
    for (const Value& v : values)
        EXPECT_EQ(read_back(v), v) << encode_response(v);
}

TEST(XmlrpcRoundTrip, Base64OfEveryLengthModuloThree) {
    for (std::size_t n = 0; n < 120; ++n) {
        const Value v = Base64{every_byte().substr(256 - n)};
        EXPECT_EQ(read_back(v), v) << n;
    }
}

TEST(XmlrpcRoundTrip, NaNStaysNaN) {
    EXPECT_TRUE(std::isnan(read_back(std::nan("")).get<double>()));
}

TEST(XmlrpcRoundTrip, NestedArraysAndStructsKeepTheirOrder) {
    const Value info = Struct{
        {"name", "web"},
        {"group", "web"},
        {"start", 1767225600},
        {"stop", 0},
        {"now", 1767229200},
        {"state", 20},
        {"statename", "RUNNING"},
        {"spawnerr", ""},
        {"exitstatus", 0},
        {"logfile", "/var/log/web.log"},
        {"stdout_logfile", ""},
        {"pid", 4242},
        {"description", "pid 4242, uptime 1:00:00"},
    };
    const Value v = Array{info, Array{}, Struct{}, Array{Array{Array{1}}},
                          Struct{{"z", 1}, {"a", 2}, {"z", 3}, {"", Nil{}}}};
    EXPECT_EQ(read_back(v), v);
}

TEST(XmlrpcRoundTrip, ACall) {
    const MethodCall c{"supervisor.readProcessStdoutLog", {"web", -1600, 0}};
    auto parsed = parse_call(encode_call(c));
    ASSERT_TRUE(std::holds_alternative<MethodCall>(parsed));
    EXPECT_EQ(std::get<MethodCall>(parsed), c);
}

TEST(XmlrpcRoundTrip, Faults) {
    for (const Fault& f : {Fault{10, "BAD_NAME: foo"}, Fault{-32601, "method not found"},
                           Fault{0, ""}, Fault{INT32_MIN, "<&>\r\n"}}) {
        auto parsed = parse_response(encode_fault(f));
        ASSERT_TRUE(std::holds_alternative<Fault>(parsed));
        EXPECT_EQ(std::get<Fault>(parsed), f);
    }
}

TEST(XmlrpcRoundTrip, ReplacedTextReadsBackAsItsReplacement) {
    const std::string bad("\x01ok\xFF\x00", 5);
    const Value once = read_back(bad);
    EXPECT_EQ(once, Value("\xEF\xBF\xBDok\xEF\xBF\xBD\xEF\xBF\xBD"));
    EXPECT_EQ(encode_response(once), encode_response(bad));
}

}  // namespace
}  // namespace superv::xmlrpc

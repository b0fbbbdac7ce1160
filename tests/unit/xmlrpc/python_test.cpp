// Python's xmlrpc.client, which supervisorctl is built on, reads what we
// write, and we read what it writes. Skipped where python3 is missing.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "superv/xmlrpc/codec.hpp"

namespace superv::xmlrpc {
namespace {

namespace fs = std::filesystem;

// Prints what xmlrpc.client.loads makes of the document in argv[1]; ascii()
// keeps the output independent of the locale.
constexpr std::string_view kLoads = R"(import sys, xmlrpc.client as x
data = open(sys.argv[1], "rb").read()
try:
    print(ascii(x.loads(data, use_builtin_types=True)))
except x.Fault as f:
    print("Fault", f.faultCode, ascii(f.faultString))
)";

class PythonClient : public ::testing::Test {
  protected:
    void SetUp() override {
        static const bool available =
            std::system("python3 -c 'import xmlrpc.client' >/dev/null 2>&1") == 0;
        if (!available) GTEST_SKIP() << "python3 is not available";
        char tmpl[] = "/tmp/superv-xmlrpc-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override {
        if (!dir_.empty()) fs::remove_all(dir_);
    }

    // The output of python3 running `script` with a file holding `input` as argv[1].
    std::string python(std::string_view script, std::string_view input = "") {
        write("script.py", script);
        write("input.xml", input);
        const std::string command = "python3 " + dir_ + "/script.py " + dir_ + "/input.xml 2>&1";
        FILE* out = ::popen(command.c_str(), "r");
        if (!out) {
            ADD_FAILURE() << "popen " << command;
            return "";
        }
        std::string text;
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, out)) > 0;)
            text.append(buf, n);
        EXPECT_EQ(::pclose(out), 0) << text;
        return text;
    }

  private:
    void write(const std::string& name, std::string_view content) {
        std::ofstream(dir_ + "/" + name, std::ios::binary) << content;
    }

    std::string dir_;
};

TEST_F(PythonClient, ReadsOurResponseWithEveryType) {
    const Value v = Struct{
        {"name", "web"},
        {"pid", 4242},
        {"big", std::int64_t{1} << 40},
        {"ok", true},
        {"no", false},
        {"ratio", 0.1},
        {"huge", 1e300},
        {"none", Nil{}},
        {"bytes", Base64{std::string("\x00\xff\r\n", 4)}},
        {"when", DateTime{"20261202T01:02:03"}},
        {"log", "a\r\nb\tc <&> ]]> caf\xC3\xA9 \xF0\x9F\x98\x80"},
        {"bad", "\x01\xFF"},
        {"list", Array{Array{}, Struct{}, ""}},
    };
    EXPECT_EQ(python(kLoads, encode_response(v)),
              "(({'name': 'web', 'pid': 4242, 'big': 1099511627776, 'ok': True, 'no': False, "
              "'ratio': 0.1, 'huge': 1e+300, 'none': None, 'bytes': b'\\x00\\xff\\r\\n', "
              "'when': datetime.datetime(2026, 12, 2, 1, 2, 3), "
              "'log': 'a\\r\\nb\\tc <&> ]]> caf\\xe9 \\U0001f600', 'bad': '\\ufffd\\ufffd', "
              "'list': [[], {}, '']},), None)\n");
}

TEST_F(PythonClient, ReadsOurFault) {
    EXPECT_EQ(python(kLoads, encode_fault({10, "BAD_NAME: <web>"})),
              "Fault 10 'BAD_NAME: <web>'\n");
}

TEST_F(PythonClient, ReadsOurCall) {
    EXPECT_EQ(python(kLoads, encode_call({"supervisor.tailProcessStdoutLog", {"web", 0, 1600}})),
              "(('web', 0, 1600), 'supervisor.tailProcessStdoutLog')\n");
}

TEST_F(PythonClient, WeReadItsCall) {
    const std::string xml = python(R"(import sys, xmlrpc.client as x
params = ("web", 2**31 - 1, -5, True, 0.25, None, x.Binary(b"\x00\x01"),
          x.DateTime("20261202T01:02:03"), {"k": ["v", {}]}, "\u00e9\r\n")
sys.stdout.buffer.write(x.dumps(params, "supervisor.test", allow_none=True).encode())
)");
    auto parsed = parse_call(xml);
    ASSERT_TRUE(std::holds_alternative<MethodCall>(parsed)) << std::get<ParseError>(parsed).message;
    // Python writes the CR raw, so the XML parser reads it as a line feed.
    EXPECT_EQ(std::get<MethodCall>(parsed),
              (MethodCall{"supervisor.test",
                          {"web", INT32_MAX, -5, true, 0.25, Nil{}, Base64{std::string("\0\1", 2)},
                           DateTime{"20261202T01:02:03"}, Struct{{"k", Array{"v", Struct{}}}},
                           "\xC3\xA9\n"}}));
}

}  // namespace
}  // namespace superv::xmlrpc

// supervisord's value types, which take what Python's int() and shlex take.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>

#include "ini/py_values.hpp"

namespace superv::config::detail::ini {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(IniValues, IntegersAsPythonsIntReadsThem) {
    EXPECT_THAT(py_int("42"), Optional(42));
    EXPECT_THAT(py_int(" -3 "), Optional(-3));
    EXPECT_THAT(py_int("+1_000"), Optional(1000));
    EXPECT_THAT(py_int("010"), Optional(10));
    for (const char* bad : {"", "1.5", "0x10", "1__0", "_1", "1_", "1 0", "--1", "ten"})
        EXPECT_EQ(py_int(bad), std::nullopt) << bad;
    EXPECT_EQ(py_int("99999999999999999999"), std::nullopt);
}

TEST(IniValues, OctalAsIntWithBase8) {
    EXPECT_THAT(py_octal("022"), Optional(022));
    EXPECT_THAT(py_octal("0o755"), Optional(0755));
    EXPECT_THAT(py_octal("7"), Optional(7));
    EXPECT_EQ(py_octal("8"), std::nullopt);
    EXPECT_EQ(py_octal("0x1"), std::nullopt);
}

TEST(IniValues, BooleansInEveryCase) {
    for (const char* yes : {"true", "TRUE", "yes", "On", "1"})
        EXPECT_THAT(py_boolean(yes), Optional(true)) << yes;
    for (const char* no : {"false", "No", "off", "0"})
        EXPECT_THAT(py_boolean(no), Optional(false)) << no;
    EXPECT_EQ(py_boolean("y"), std::nullopt);
    EXPECT_EQ(py_boolean(""), std::nullopt);
}

TEST(IniValues, ByteSizesInPowersOf1024) {
    EXPECT_THAT(byte_size("1024"), Optional(1024));
    EXPECT_THAT(byte_size("10KB"), Optional(10240));
    EXPECT_THAT(byte_size("50mb"), Optional(50ll << 20));
    EXPECT_THAT(byte_size("1GB"), Optional(1ll << 30));
    EXPECT_THAT(byte_size("50 MB"), Optional(50ll << 20));
    EXPECT_THAT(byte_size("0"), Optional(0));
    EXPECT_EQ(byte_size("50B"), std::nullopt);  // not a suffix supervisord knows
    EXPECT_EQ(byte_size("MB"), std::nullopt);
    EXPECT_EQ(byte_size("1.5MB"), std::nullopt);
}

TEST(IniValues, SignalsByNameOrNumber) {
    EXPECT_THAT(signal_number("TERM"), Optional(SIGTERM));
    EXPECT_THAT(signal_number("sigkill"), Optional(SIGKILL));
    EXPECT_THAT(signal_number(" hup "), Optional(SIGHUP));
    EXPECT_THAT(signal_number("9"), Optional(9));
    EXPECT_EQ(signal_number("0"), std::nullopt);
    EXPECT_EQ(signal_number("NOPE"), std::nullopt);
}

TEST(IniValues, AutorestartsSpellings) {
    EXPECT_THAT(auto_restart("true"), Optional(AutoRestart::Always));
    EXPECT_THAT(auto_restart("OFF"), Optional(AutoRestart::Never));
    EXPECT_THAT(auto_restart("Unexpected"), Optional(AutoRestart::OnFailure));
    EXPECT_EQ(auto_restart("always"), std::nullopt);
}

TEST(IniValues, ExitCodesAreACommaList) {
    EXPECT_THAT(exit_codes("0"), Optional(ElementsAre(0)));
    EXPECT_THAT(exit_codes("0, 2 ,255"), Optional(ElementsAre(0, 2, 255)));
    EXPECT_THAT(exit_codes(""), Optional(IsEmpty()));
    EXPECT_EQ(exit_codes("256"), std::nullopt);
    EXPECT_EQ(exit_codes("0,,1"), std::nullopt);
    EXPECT_EQ(exit_codes("-1"), std::nullopt);
}

TEST(IniValues, ListsOfStringsAreSplitAtCommasAndStripped) {
    EXPECT_THAT(list_of_strings("a, b ,c"), ElementsAre("a", "b", "c"));
    EXPECT_THAT(list_of_strings("a,,b"), ElementsAre("a", "", "b"));
    EXPECT_THAT(list_of_strings(""), IsEmpty());
}

TEST(IniValues, InetAddressesAsSupervisordParsesThem) {
    std::string why;
    EXPECT_THAT(inet_address("9001", why), Optional(Pair("", 9001)));
    EXPECT_THAT(inet_address("127.0.0.1:9001", why), Optional(Pair("127.0.0.1", 9001)));
    EXPECT_THAT(inet_address("*:9001", why), Optional(Pair("", 9001)));
    EXPECT_THAT(inet_address("LocalHost:80", why), Optional(Pair("localhost", 80)));
    EXPECT_EQ(inet_address("host:", why), std::nullopt);
    EXPECT_EQ(why, "no port number after the \":\"");
    EXPECT_EQ(inet_address("host:70000", why), std::nullopt);
    EXPECT_EQ(inet_address("http", why), std::nullopt);
}

std::map<std::string, std::string> pairs(std::string_view text) {
    std::string why;
    auto result = key_value_pairs(text, why);
    EXPECT_TRUE(result.has_value()) << text << ": " << why;
    return result.value_or(std::map<std::string, std::string>{});
}

std::string pairs_error(std::string_view text) {
    std::string why;
    EXPECT_EQ(key_value_pairs(text, why), std::nullopt) << text;
    return why;
}

TEST(IniValues, EnvironmentPairsAsSupervisord425ParsesThem) {
    EXPECT_THAT(pairs("A=1,B=2"), UnorderedElementsAre(Pair("A", "1"), Pair("B", "2")));
    EXPECT_THAT(pairs("A = 1 , B = \"a b\""),
                UnorderedElementsAre(Pair("A", "1"), Pair("B", "a b")));
    EXPECT_THAT(pairs("A=\"x,y\",B='z'"), UnorderedElementsAre(Pair("A", "x,y"), Pair("B", "z")));
    EXPECT_THAT(pairs("PATH=/usr/bin:/bin,X=a.b+c-d(e)"),
                UnorderedElementsAre(Pair("PATH", "/usr/bin:/bin"), Pair("X", "a.b+c-d(e)")));
    EXPECT_THAT(pairs(""), IsEmpty());
}

TEST(IniValues, EnvironmentPairsKeepShlexsQuirks) {
    // Any one token separates pairs; punctuation splits a value silently.
    EXPECT_THAT(pairs("A=1;B=2"), UnorderedElementsAre(Pair("A", "1"), Pair("B", "2")));
    EXPECT_THAT(pairs("URL=http://x?y=1"),
                UnorderedElementsAre(Pair("URL", "http://x"), Pair("y", "1")));
    // A non-ASCII character is a token of its own.
    EXPECT_THAT(pairs("NAME=caf\xc3\xa9"), UnorderedElementsAre(Pair("NAME", "caf")));
    // A quoted key keeps its quotes; only the value is stripped.
    EXPECT_THAT(pairs("\"K\"=v"), UnorderedElementsAre(Pair("\"K\"", "v")));
}

TEST(IniValues, EnvironmentPairsThatSupervisordRefuses) {
    EXPECT_THAT(pairs_error("A=1 B=2"), ::testing::StartsWith("cannot read \"=2\" as KEY=VALUE"));
    EXPECT_THAT(pairs_error("A"), ::testing::StartsWith("cannot read \"A\" as KEY=VALUE"));
    EXPECT_THAT(pairs_error("A=1\nB=2"), ::testing::StartsWith("cannot read \"=2\""));
    EXPECT_EQ(pairs_error("A=\"open"), "no closing quotation");
    // "#" skips to the end of the line but goes on with the word: A=bD=e.
    EXPECT_THAT(pairs_error("A=b#c\nD=e"), ::testing::StartsWith("cannot read \"e\""));
}

TEST(IniValues, ExpandUserAsPython) {
    ::setenv("HOME", "/home/tester/", 1);
    EXPECT_EQ(expand_user("~"), "/home/tester");
    EXPECT_EQ(expand_user("~/logs/a.log"), "/home/tester/logs/a.log");
    EXPECT_EQ(expand_user("~root/x"), "/root/x");
    EXPECT_EQ(expand_user("~no_such_user_here/x"), "~no_such_user_here/x");
    EXPECT_EQ(expand_user("/a/~"), "/a/~");
}

TEST(IniValues, NormalizePathAsPosixpathNormpath) {
    EXPECT_EQ(normalize_path("/a/./b/../c//d/"), "/a/c/d");
    EXPECT_EQ(normalize_path("//a"), "//a");
    EXPECT_EQ(normalize_path("///a"), "/a");
    EXPECT_EQ(normalize_path("../x/.."), "..");
    EXPECT_EQ(normalize_path("/.."), "/");
    EXPECT_EQ(normalize_path(""), ".");
}

}  // namespace
}  // namespace superv::config::detail::ini

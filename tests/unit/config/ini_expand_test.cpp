// supervisord's %(name)s expansions: Python's %-formatting with a dict.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ini/expand.hpp"

namespace superv::config::detail::ini {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const NameTable kNames{{"program_name", std::string("web")},
                       {"process_num", 7ll},
                       {"negative", -5ll},
                       {"ENV_HOME", std::string("/home/u")}};

IniValue value_of(std::string text) {
    return IniValue{std::move(text), {{0, SourcePos{"f.conf", 3, 11}}}, "/etc/sv"};
}

std::string ok(const std::string& text) {
    Diagnostics errors("f.conf");
    auto result = expand(value_of(text), Names().add(kNames), "\"x\" of [program:web]", errors);
    for (const ConfigError& error : errors.take())
        ADD_FAILURE() << error.to_string();
    return result.value_or("<failed>");
}

std::string failure(const std::string& text) {
    Diagnostics errors("f.conf");
    auto result = expand(value_of(text), Names().add(kNames), "\"x\" of [program:web]", errors);
    EXPECT_FALSE(result.has_value()) << text << " gave " << *result;
    auto all = errors.take();
    return all.size() == 1 ? all[0].to_string() : "<" + std::to_string(all.size()) + " errors>";
}

TEST(IniExpand, SubstitutesNamesAndLeavesOtherTextAlone) {
    EXPECT_EQ(ok("/srv/%(program_name)s/bin"), "/srv/web/bin");
    EXPECT_EQ(ok("%(ENV_HOME)s/x"), "/home/u/x");
    EXPECT_EQ(ok("no names at all"), "no names at all");
}

TEST(IniExpand, HereIsTheDirectoryOfTheValuesFile) {
    EXPECT_EQ(ok("%(here)s/run.sock"), "/etc/sv/run.sock");
}

TEST(IniExpand, DoublePercentIsALiteralPercent) {
    EXPECT_EQ(ok("100%% of %(program_name)s"), "100% of web");
}

TEST(IniExpand, FormatsNumbersAsPython) {
    EXPECT_EQ(ok("%(process_num)02d"), "07");
    EXPECT_EQ(ok("%(process_num)d|%(process_num)i|%(process_num)u"), "7|7|7");
    EXPECT_EQ(ok("%(process_num)s"), "7");
    EXPECT_EQ(ok("[%(process_num)-4d]"), "[7   ]");
    EXPECT_EQ(ok("%(process_num)+d %(process_num) d"), "+7  7");
    EXPECT_EQ(ok("%(process_num)05.3d"), "00007");
    EXPECT_EQ(ok("%(negative)05d"), "-0005");
    EXPECT_EQ(ok("%(negative)+08.3d"), "-0000005");
    EXPECT_EQ(ok("%(process_num)#o %(process_num)#x %(process_num)X"), "0o7 0x7 7");
    EXPECT_EQ(ok("%(negative)#x"), "-0x5");
    EXPECT_EQ(ok("%(process_num)5.2f"), " 7.00");
    EXPECT_EQ(ok("%(process_num)ld"), "7");
}

TEST(IniExpand, FormatsTextWithWidthAndPrecision) {
    EXPECT_EQ(ok("[%(program_name)5s]"), "[  web]");
    EXPECT_EQ(ok("[%(program_name)-5s]"), "[web  ]");
    EXPECT_EQ(ok("[%(program_name)05s]"), "[  web]");
    EXPECT_EQ(ok("%(program_name).1s"), "w");
}

TEST(IniExpand, AnUnknownNameIsAnErrorAtItsPercent) {
    EXPECT_EQ(failure("ab %(proces_num)02d"),
              "f.conf:3:14: \"x\" of [program:web]: \"%(proces_num)02d\": unknown name "
              "\"proces_num\" (did you mean \"process_num\"?); the names here are here, "
              "negative, process_num, program_name, and ENV_ followed by a variable of superv's "
              "environment");
}

TEST(IniExpand, AnUnsetEnvironmentVariableSaysSo) {
    EXPECT_EQ(failure("%(ENV_NOPE)s"),
              "f.conf:3:11: \"x\" of [program:web]: \"%(ENV_NOPE)s\": "
              "\"NOPE\" is not set in superv's environment");
}

TEST(IniExpand, BadFormatsAreErrors) {
    EXPECT_THAT(failure("50%"), HasSubstr("f.conf:3:13: \"x\" of [program:web]: a \"%\" at the "
                                          "end is an incomplete format"));
    EXPECT_THAT(failure("a %s b"), HasSubstr("\"%s\" has no name"));
    EXPECT_THAT(failure("%(program_name"), HasSubstr("no \")\" closes \"%(\""));
    EXPECT_THAT(failure("%(program_name)"), HasSubstr("incomplete format"));
    EXPECT_THAT(failure("%(program_name)z"), HasSubstr("unsupported format character \"z\""));
    EXPECT_THAT(failure("%(program_name)d"),
                HasSubstr("\"program_name\" is text, and %d needs a number"));
    EXPECT_THAT(failure("%(program_name)r"), HasSubstr("the %r conversion is not supported"));
    EXPECT_THAT(failure("%(process_num)*d"), HasSubstr("\"*\" width"));
}

TEST(IniExpand, LaterTablesWin) {
    const NameTable first{{"a", std::string("1")}};
    const NameTable second{{"a", std::string("2")}, {"b", std::string("3")}};
    Names names;
    names.add(first).add(second);
    EXPECT_EQ(std::get<std::string>(*names.find("a")), "2");
    EXPECT_THAT(names.all(), ElementsAre("a", "b"));
}

TEST(IniExpand, EnvironmentNamesArePrefixed) {
    char a[] = "HOME=/root";
    char b[] = "EMPTY=";
    char c[] = "EQ=a=b";
    char* environment[] = {a, b, c, nullptr};
    NameTable names = environment_names(environment);
    EXPECT_EQ(std::get<std::string>(names.at("ENV_HOME")), "/root");
    EXPECT_EQ(std::get<std::string>(names.at("ENV_EMPTY")), "");
    EXPECT_EQ(std::get<std::string>(names.at("ENV_EQ")), "a=b");
}

}  // namespace
}  // namespace superv::config::detail::ini

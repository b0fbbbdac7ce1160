// supervisord.conf's syntax, as Python's RawConfigParser reads it with
// supervisord's settings, and the positions kept for messages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "ini/reader.hpp"

namespace superv::config::detail::ini {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

struct Parsed {
    IniParser parser;
    std::vector<std::string> errors;
    std::vector<std::string> warnings;

    // The value of `key` in `section`, or "<absent>".
    std::string get(const std::string& section, const std::string& key) const {
        const IniSection* found = parser.find(section);
        const IniOption* option = found ? parser.get(*found, key) : nullptr;
        return option ? option->value.text : "<absent>";
    }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const IniSection& section : parser.sections())
            out.push_back(section.name);
        return out;
    }
};

std::vector<std::string> strings(std::vector<ConfigError> errors) {
    std::vector<std::string> out;
    for (const ConfigError& error : errors)
        out.push_back(error.to_string());
    return out;
}

Parsed parse(std::string_view text) {
    Parsed parsed;
    Diagnostics errors("f.conf"), warnings("f.conf");
    parsed.parser.read(text, "f.conf", "/d", errors, warnings);
    parsed.errors = strings(errors.take());
    parsed.warnings = strings(warnings.take());
    return parsed;
}

TEST(IniReader, ReadsKeyEqualsValueAndKeyColonValue) {
    Parsed p = parse("[a]\nk = v\nk2: v2\nk3=v=w\nk4 : a:b\n");
    EXPECT_THAT(p.errors, IsEmpty());
    EXPECT_EQ(p.get("a", "k"), "v");
    EXPECT_EQ(p.get("a", "k2"), "v2");
    EXPECT_EQ(p.get("a", "k3"), "v=w");  // the first delimiter ends the key
    EXPECT_EQ(p.get("a", "k4"), "a:b");
}

TEST(IniReader, InlineCommentsNeedWhitespaceBeforeThem) {
    Parsed p = parse("[a]\nk = v ;c\nk2 = v;c\nk3 = v\t# c\nk4 = http://x/#frag\nk5 = ;\n");
    EXPECT_EQ(p.get("a", "k"), "v");
    EXPECT_EQ(p.get("a", "k2"), "v;c");
    EXPECT_EQ(p.get("a", "k3"), "v");
    EXPECT_EQ(p.get("a", "k4"), "http://x/#frag");
    EXPECT_EQ(p.get("a", "k5"), "");
}

TEST(IniReader, TheFirstRoundOfCommentSearchDecidesAsInPython) {
    // ';' is found after a space in the first round, so the " #z" before it
    // stays: configparser does not look for an earlier '#' once one prefix hit.
    EXPECT_EQ(parse("[a]\nk3=x#y #z ;w\n").get("a", "k3"), "x#y #z");
}

TEST(IniReader, FullLineCommentsAreSkippedEvenIndented) {
    Parsed p = parse("# top\n; top\n[a]\n  # indented\nk = 1\n");
    EXPECT_THAT(p.errors, IsEmpty());
    EXPECT_EQ(p.get("a", "k"), "1");
}

TEST(IniReader, KeysAreLowercasedAndTheLastValueWinsWithAWarning) {
    Parsed p = parse("[a]\nCommand = 1\ncommand = 2\n");
    EXPECT_EQ(p.get("a", "command"), "2");
    EXPECT_THAT(p.warnings, ElementsAre("f.conf:3:1: \"command\" is already set in [a] at "
                                        "f.conf:2:1; the last value wins (as in supervisord)"));
}

TEST(IniReader, SectionNamesKeepTheirCase) {
    Parsed p = parse("[Program:X]\nk=1\n");
    EXPECT_THAT(p.names(), ElementsAre("Program:X"));
}

TEST(IniReader, IndentedLinesContinueTheValueBlankLinesInsideKept) {
    Parsed p = parse("[a]\nk = 1\n  2\n\n  3\n\n\n[b]\n");
    EXPECT_EQ(p.get("a", "k"), "1\n2\n\n3");
}

TEST(IniReader, CommentLinesInsideAValueAreDropped) {
    EXPECT_EQ(parse("[a]\nk = 1\n ;c\n  2\n").get("a", "k"), "1\n2");
}

TEST(IniReader, AContinuationMayLookLikeAnOption) {
    Parsed p = parse("[a]\nk = 1\n  b = 2\n");
    EXPECT_EQ(p.get("a", "k"), "1\nb = 2");
    EXPECT_EQ(p.get("a", "b"), "<absent>");
}

TEST(IniReader, AnEmptyFirstLineStartsTheValueWithANewline) {
    EXPECT_EQ(parse("[a]\nk=\n  v\n").get("a", "k"), "\nv");
}

TEST(IniReader, IndentationIsRelativeToTheOptionsOwnLine) {
    Parsed p = parse("[a]\n  k=v\n   cont\n  j=w\n");
    EXPECT_EQ(p.get("a", "k"), "v\ncont");
    EXPECT_EQ(p.get("a", "j"), "w");
}

TEST(IniReader, HeadersTakeEverythingUpToTheLastBracket) {
    // An indented header right after another is no continuation: there is
    // no option to continue.
    Parsed p = parse("[a]b]\nk=v\n[c] junk\n  [d]\nj=w\n");
    EXPECT_THAT(p.names(), ElementsAre("a]b", "c", "d"));
}

TEST(IniReader, SpacesArePartOfASectionName) {
    EXPECT_THAT(parse("[ program:x ]\n").names(), ElementsAre(" program:x "));
}

TEST(IniReader, ReopenedSectionsMergeWithAWarning) {
    Parsed p = parse("[a]\nk=1\n[b]\n[a]\nk=2\nj=3\n");
    EXPECT_THAT(p.names(), ElementsAre("a", "b"));
    EXPECT_EQ(p.get("a", "k"), "2");
    EXPECT_EQ(p.get("a", "j"), "3");
    EXPECT_THAT(p.warnings,
                ElementsAre("f.conf:4:1: [a] is already at f.conf:1:1; the two are merged into "
                            "one section, later keys winning (as supervisord does)",
                            "f.conf:5:1: \"k\" is already set in [a] at f.conf:2:1; the last "
                            "value wins (as in supervisord)"));
}

TEST(IniReader, DefaultSectionSuppliesEveryOtherSection) {
    Parsed p = parse("[DEFAULT]\nx=1\n[a]\nk=v\n[b]\nx=2\n");
    EXPECT_THAT(p.names(), ElementsAre("a", "b"));
    EXPECT_EQ(p.get("a", "x"), "1");
    EXPECT_EQ(p.get("b", "x"), "2");
}

TEST(IniReader, ReportsEveryLineItCannotParse) {
    Parsed p = parse("[a]\nnovalue\nk=v\n=v\nother\n");
    EXPECT_EQ(p.get("a", "k"), "v");
    EXPECT_THAT(p.errors,
                ElementsAre("f.conf:2:1: cannot parse \"novalue\": not a [section] header, a "
                            "\"key = value\" option or a comment",
                            "f.conf:4:1: option \"=v\" has no name",
                            "f.conf:5:1: cannot parse \"other\": not a [section] header, a "
                            "\"key = value\" option or a comment"));
}

TEST(IniReader, AnOptionBeforeAnySectionIsAnError) {
    Parsed p = parse("k=v\nj=w\n[a]\n");
    EXPECT_THAT(p.errors, ElementsAre("f.conf:1:1: \"k=v\" is outside any section: a "
                                      "supervisord config must start with a [section] header"));
}

TEST(IniReader, ReadsCrLfAndLoneCrLineEnds) {
    Parsed p = parse("[a]\r\nk = 1\r\n  2\rj=3");
    EXPECT_EQ(p.get("a", "k"), "1\n2");
    EXPECT_EQ(p.get("a", "j"), "3");
}

TEST(IniReader, KeepsThePositionOfKeysAndEveryPieceOfAValue) {
    Parsed p = parse("[a]\n  key =  first\n      second\n");
    const IniOption* option = p.parser.get(*p.parser.find("a"), "key");
    ASSERT_NE(option, nullptr);
    EXPECT_EQ(option->name_pos.to_string(), "f.conf:2:3");
    EXPECT_EQ(option->value.pos().to_string(), "f.conf:2:10");
    EXPECT_EQ(option->value.at(2).to_string(), "f.conf:2:12");  // 'r' of first
    EXPECT_EQ(option->value.at(6).to_string(), "f.conf:3:7");   // 's' of second
    EXPECT_EQ(option->value.at(8).to_string(), "f.conf:3:9");
    EXPECT_EQ(option->value.here, "/d");
}

TEST(IniReader, LaterFilesAddToTheSameSections) {
    IniParser parser;
    Diagnostics errors("a"), warnings("a");
    parser.read("[a]\nk=1\nj=1\n", "one.conf", "/one", errors, warnings);
    auto headers = parser.read("[a]\nk=2\n[b]\n", "two.conf", "/two", errors, warnings);
    EXPECT_THAT(headers, ElementsAre(Pair("a", SourcePos{"two.conf", 1, 1}),
                                     Pair("b", SourcePos{"two.conf", 3, 1})));
    const IniSection& a = *parser.find("a");
    EXPECT_EQ(parser.get(a, "k")->value.text, "2");
    EXPECT_EQ(parser.get(a, "k")->value.here, "/two");
    EXPECT_EQ(parser.get(a, "j")->value.here, "/one");
}

}  // namespace
}  // namespace superv::config::detail::ini

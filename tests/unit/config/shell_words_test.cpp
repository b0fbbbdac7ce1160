// Splitting a string command the way a POSIX shell splits words.
#include "superv/config/shell_words.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace superv::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> split(std::string_view text) {
    std::optional<ShellWordsError> error;
    auto words = split_shell_words(text, &error);
    EXPECT_FALSE(error.has_value()) << "unexpected error: " << error->message;
    return words;
}

ShellWordsError failure(std::string_view text) {
    std::optional<ShellWordsError> error;
    auto words = split_shell_words(text, &error);
    EXPECT_TRUE(error.has_value()) << "expected an error for: " << text;
    EXPECT_THAT(words, IsEmpty());
    return error.value_or(ShellWordsError{0, ""});
}

TEST(ShellWords, SplitsOnRunsOfBlanks) {
    EXPECT_THAT(split("  a \t bb\nccc  "), ElementsAre("a", "bb", "ccc"));
    EXPECT_THAT(split(""), IsEmpty());
    EXPECT_THAT(split(" \t "), IsEmpty());
}

TEST(ShellWords, SingleQuotesKeepEverythingLiterally) {
    EXPECT_THAT(split(R"('a b' 'c\d' '$x "y"')"), ElementsAre("a b", R"(c\d)", R"($x "y")"));
}

TEST(ShellWords, DoubleQuotesUnescapeOnlyShellSpecials) {
    EXPECT_THAT(split(R"("a \"b\" \\ \$ \` \n")"), ElementsAre(R"(a "b" \ $ ` \n)"));
}

TEST(ShellWords, BackslashOutsideQuotesEscapesAnyCharacter) {
    EXPECT_THAT(split(R"(a\ b \'c \\)"), ElementsAre("a b", "'c", "\\"));
}

TEST(ShellWords, BackslashNewlineJoinsLines) {
    EXPECT_THAT(split("a\\\nb c"), ElementsAre("ab", "c"));
    EXPECT_THAT(split("\"a\\\nb\""), ElementsAre("ab"));
}

TEST(ShellWords, AdjacentQuotedPartsFormOneWord) {
    EXPECT_THAT(split(R"(--opt="a b"'c d'e)"), ElementsAre("--opt=a bc de"));
}

TEST(ShellWords, EmptyQuotesAreAnEmptyWord) {
    EXPECT_THAT(split(R"(a "" '' b)"), ElementsAre("a", "", "", "b"));
}

TEST(ShellWords, ExpandsNothing) {
    EXPECT_THAT(split("$HOME ~ *.txt `id` $(id) a;b"),
                ElementsAre("$HOME", "~", "*.txt", "`id`", "$(id)", "a;b"));
}

TEST(ShellWords, ReportsUnterminatedQuotesAtTheOpeningQuote) {
    ShellWordsError single = failure("ab 'cd");
    EXPECT_EQ(single.offset, 3u);
    EXPECT_EQ(single.message, "unterminated single quote");
    ShellWordsError double_quote = failure(R"(x "a\")");
    EXPECT_EQ(double_quote.offset, 2u);
    EXPECT_EQ(double_quote.message, "unterminated double quote");
}

TEST(ShellWords, ReportsTrailingBackslash) {
    ShellWordsError error = failure("abc\\");
    EXPECT_EQ(error.offset, 3u);
    EXPECT_EQ(error.message, "backslash at end of command");
}

std::vector<std::string> shlex(std::string_view text) {
    std::optional<ShellWordsError> error;
    auto words = split_like_shlex(text, &error);
    EXPECT_FALSE(error.has_value()) << "unexpected error: " << error->message;
    return words;
}

// What Python's shlex.split() gives for each, checked with python3.
TEST(ShellWords, ShlexEscapesOnlyQuoteAndBackslashInsideDoubleQuotes) {
    EXPECT_THAT(shlex(R"("a \"b\" \\ \$ \` \n")"), ElementsAre(R"(a "b" \ \$ \` \n)"));
    EXPECT_THAT(shlex("\"a\\\nb\""), ElementsAre("a\\\nb"));
}

TEST(ShellWords, ShlexKeepsTheNewlineOfABackslashNewline) {
    EXPECT_THAT(shlex("a\\\nb c"), ElementsAre("a\nb", "c"));
}

TEST(ShellWords, ShlexSplitsAtCarriageReturns) {
    EXPECT_THAT(shlex("a\rb"), ElementsAre("a", "b"));
    EXPECT_THAT(split("a\rb"), ElementsAre("a\rb"));
}

TEST(ShellWords, ShlexAgreesOnEverythingElse) {
    EXPECT_THAT(shlex(R"(a\"b x""y '$z \' --o="a b"'c' "")"),
                ElementsAre("a\"b", "xy", "$z \\", "--o=a bc", ""));
    std::optional<ShellWordsError> error;
    split_like_shlex("'open", &error);
    EXPECT_TRUE(error.has_value());
}

TEST(ShellWords, AcceptsNullErrorPointer) {
    EXPECT_THAT(split_shell_words("a b", nullptr), ElementsAre("a", "b"));
    EXPECT_THAT(split_shell_words("'a", nullptr), IsEmpty());
}

}  // namespace
}  // namespace superv::config

// LogLineMatcher: lines assembled across chunks, matched once, bounded.
#include "superv/core/readiness/log_matcher.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>

namespace superv::core::readiness {
namespace {

std::shared_ptr<const config::CompiledRegex> regex(const std::string& pattern) {
    return std::get<std::shared_ptr<const config::CompiledRegex>>(config::compile_regex(pattern));
}

bool feed(LogLineMatcher& m, std::string_view text) {
    return m.feed(std::as_bytes(std::span(text.data(), text.size())));
}

TEST(LogLineMatcher, MatchesALineAnywhereInIt) {
    LogLineMatcher m(regex("listening on port [0-9]+"));
    EXPECT_FALSE(feed(m, "starting\nloading config\n"));
    EXPECT_TRUE(feed(m, "2024-01-01 listening on port 5432 (IPv4)\n"));
    EXPECT_TRUE(m.matched());
}

TEST(LogLineMatcher, AssemblesALineSplitAcrossChunks) {
    LogLineMatcher m(regex("^ready$"));
    EXPECT_FALSE(feed(m, "rea"));
    EXPECT_FALSE(feed(m, "d"));
    EXPECT_TRUE(feed(m, "y\nmore"));
}

TEST(LogLineMatcher, NeverMatchesAcrossTwoLines) {
    LogLineMatcher m(regex("up and running"));
    EXPECT_FALSE(feed(m, "up and\nrunning\n"));
    EXPECT_FALSE(m.finish());
}

TEST(LogLineMatcher, TakesCrLfLinesAsLines) {
    LogLineMatcher m(regex("^ready$"));
    EXPECT_TRUE(feed(m, "ready\r\n"));
}

TEST(LogLineMatcher, MatchesTheLastLineWithoutNewlineOnlyAtTheEnd) {
    LogLineMatcher m(regex("^done$"));
    EXPECT_FALSE(feed(m, "done"));  // "done" may yet become "done, not"
    EXPECT_TRUE(m.finish());
}

TEST(LogLineMatcher, MatchesALongLineOnItsFirstPartAndSkipsTheRest) {
    LogLineMatcher m(regex("^x+$"), 16);
    EXPECT_TRUE(feed(m, std::string(40, 'x') + "y\n"));  // the first 16 bytes are all x

    LogLineMatcher tail(regex("tail"), 16);
    EXPECT_FALSE(feed(tail, std::string(20, 'a') + "tail\n"));  // past the first 16 bytes
    EXPECT_FALSE(tail.finish());
    EXPECT_TRUE(feed(tail, "tail\n"));  // the next line starts afresh
}

TEST(LogLineMatcher, ALineOfExactlyTheCapIsMatchedOnce) {
    LogLineMatcher m(regex("^a{16}$"), 16);
    EXPECT_TRUE(feed(m, std::string(16, 'a') + "\n"));
}

TEST(LogLineMatcher, StopsLookingOnceMatched) {
    LogLineMatcher m(regex("^one$"));
    EXPECT_TRUE(feed(m, "one\n"));
    EXPECT_TRUE(feed(m, "two\n"));
    EXPECT_TRUE(m.finish());
}

TEST(LogLineMatcher, AnEmptyChunkChangesNothing) {
    LogLineMatcher m(regex("x"));
    EXPECT_FALSE(m.feed({}));
    EXPECT_FALSE(m.finish());
}

}  // namespace
}  // namespace superv::core::readiness

// parse_notify_message: the sd_notify datagram, and what is garbage.
#include "superv/core/readiness/notify_message.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace superv::core::readiness {
namespace {

std::optional<NotifyMessage> parse(std::string_view text) {
    return parse_notify_message(std::as_bytes(std::span(text.data(), text.size())));
}

TEST(NotifyMessage, ReadsReadyStatusStoppingAndMainPid) {
    const auto m = parse("READY=1\nSTATUS=accepting connections\nMAINPID=4242\nSTOPPING=1\n");
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->ready);
    EXPECT_TRUE(m->stopping);
    EXPECT_EQ(m->status, "accepting connections");
    EXPECT_EQ(m->main_pid, 4242);
}

TEST(NotifyMessage, AMessageWithoutATrailingNewlineIsTheSame) {
    EXPECT_EQ(parse("READY=1"), parse("READY=1\n"));
    EXPECT_TRUE(parse("READY=1")->ready);
}

TEST(NotifyMessage, IgnoresKeysItDoesNotKnow) {
    const auto m = parse("WATCHDOG=1\nBARRIER=1\nX_CUSTOM_2=anything at all\nREADY=1\n");
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->ready);
    EXPECT_FALSE(m->status);
}

TEST(NotifyMessage, ReadyWithAnotherValueIsNotReady) {
    const auto m = parse("READY=0\nSTOPPING=yes\n");
    ASSERT_TRUE(m);
    EXPECT_FALSE(m->ready);
    EXPECT_FALSE(m->stopping);
}

TEST(NotifyMessage, TheLastOfARepeatedKeyCounts) {
    EXPECT_EQ(parse("STATUS=one\nSTATUS=two\n")->status, "two");
}

TEST(NotifyMessage, RejectsGarbageWhole) {
    EXPECT_FALSE(parse(""));
    EXPECT_FALSE(parse("hello"));
    EXPECT_FALSE(parse("READY=1\nno equals sign\n"));
    EXPECT_FALSE(parse("=1\n"));
    EXPECT_FALSE(parse("ready=1\n"));  // keys are upper case
    EXPECT_FALSE(parse("READY =1\n"));
    EXPECT_FALSE(parse(std::string("READY=1\0STATUS=x", 16)));
    EXPECT_FALSE(parse("READY=1\nMAINPID=abc\n"));
    EXPECT_FALSE(parse("MAINPID=0\n"));
    EXPECT_FALSE(parse("MAINPID=-5\n"));
    EXPECT_FALSE(parse("MAINPID=99999999999\n"));
    EXPECT_FALSE(parse("READY=1\nSTATUS=\xff\xfe\n"));
    EXPECT_FALSE(parse("STATUS=\xed\xa0\x80\n"));  // a UTF-16 surrogate
    EXPECT_FALSE(parse("STATUS=\xc0\xaf\n"));      // an overlong '/'
}

TEST(NotifyMessage, EmptyLinesAreFine) {
    const auto m = parse("\n\nREADY=1\n\n");
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->ready);
}

TEST(NotifyMessage, RejectsAMessageOverTheCapButTakesOneAtIt) {
    std::string at_cap = "READY=1\nSTATUS=";
    at_cap.append(kMaxNotifyMessage - at_cap.size(), 'x');
    EXPECT_TRUE(parse(at_cap));
    EXPECT_FALSE(parse(at_cap + "x"));
}

TEST(NotifyMessage, StatusLosesControlCharactersAndIsCutOnACharacterBoundary) {
    EXPECT_EQ(parse("STATUS=a\x1b[31mred\tb\x7f\xc2\x9b\n")->status, "a [31mred b  ");
    std::string long_status(kMaxNotifyStatus - 1, 'x');
    long_status += "\xc3\xa9x";  // 'é' would end one byte past the cap; nothing after it counts
    const auto m = parse("STATUS=" + long_status);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->status, std::string(kMaxNotifyStatus - 1, 'x'));
    EXPECT_EQ(parse("STATUS=caf\xc3\xa9 \xe2\x9c\x93")->status, "caf\xc3\xa9 \xe2\x9c\x93");
}

}  // namespace
}  // namespace superv::core::readiness

// A captured stream end to end: bytes written into the pipe reach the file,
// and clear() (supervisord's clearProcessLogs) starts the file afresh.
#include "superv/log/output_channel.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace superv::log {
namespace {

namespace fs = std::filesystem;

class OutputChannelTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/superv-channel-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::unique_ptr<OutputChannel> make_channel() {
        config::LogSpec spec;
        spec.target = config::LogTarget{config::LogTarget::Kind::File, dir_ + "/out.log"};
        auto channel = OutputChannel::create("web stdout", spec);
        EXPECT_TRUE(channel.ok());
        return channel.ok() ? std::move(channel.value()) : nullptr;
    }
    static void put(OutputChannel& channel, const std::string& text) {
        ASSERT_EQ(::write(channel.write_fd(), text.data(), text.size()),
                  static_cast<ssize_t>(text.size()));
    }
    std::string file() const {
        std::ifstream in(dir_ + "/out.log");
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    std::string dir_;
    std::array<char, 4096> scratch_{};
};

TEST_F(OutputChannelTest, WhatThePipeCarriesReachesTheFile) {
    auto channel = make_channel();
    ASSERT_NE(channel, nullptr);
    put(*channel, "hello\n");
    EXPECT_TRUE(channel->drain(scratch_));
    EXPECT_EQ(file(), "hello\n");
}

TEST_F(OutputChannelTest, ClearEmptiesTheFileAndLaterOutputStartsIt) {
    auto channel = make_channel();
    ASSERT_NE(channel, nullptr);
    put(*channel, "before\n");
    channel->drain_all(scratch_);
    ASSERT_TRUE(channel->clear().ok());
    EXPECT_EQ(file(), "");
    put(*channel, "after\n");
    channel->drain_all(scratch_);
    EXPECT_EQ(file(), "after\n");
}

}  // namespace
}  // namespace superv::log

// superv's own log into a file: level, format, rotation, SIGUSR2's reopen,
// clearLog, and switching files on reload.
#include "superv/log/logging.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace superv::log {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

class LoggingTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/superv-logging-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        setup("info");
    }
    void TearDown() override {
        (void)set_file(config::LogSpec{});  // Inherit: stderr only
        fs::remove_all(dir_);
    }

    std::string path(const std::string& name = "superv.log") const { return dir_ + "/" + name; }
    config::LogSpec spec(const std::string& file, std::uint64_t max_bytes = 0, int backups = 0) {
        return config::LogSpec{config::LogTarget{config::LogTarget::Kind::File, file}, max_bytes,
                               backups};
    }
    static std::string read(const std::string& p) {
        std::ifstream in(p);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    std::string dir_;
};

TEST_F(LoggingTest, LinesAtTheLevelGoToTheFileInTheStderrFormat) {
    ASSERT_TRUE(set_file(spec(path())).ok());
    EXPECT_EQ(file_path(), path());
    spdlog::debug("below the level");
    spdlog::info("web: spawned pid 42");
    EXPECT_THAT(read(path()),
                MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} "
                             "info  web: spawned pid 42\n"));
}

TEST_F(LoggingTest, TheFileFollowsALevelChange) {
    ASSERT_TRUE(set_file(spec(path())).ok());
    set_level("debug");
    spdlog::debug("now shown");
    set_level("info");
    EXPECT_THAT(read(path()), HasSubstr("now shown"));
}

TEST_F(LoggingTest, RotatesAtMaxBytesIntoDotOne) {
    ASSERT_TRUE(set_file(spec(path(), 200, 2)).ok());
    for (int i = 0; i < 10; ++i)
        spdlog::info("line {} of the log", i);
    EXPECT_TRUE(fs::exists(path() + ".1"));
    EXPECT_LE(fs::file_size(path()), 200u);
}

TEST_F(LoggingTest, ZeroMaxBytesNeverRotates) {
    ASSERT_TRUE(set_file(spec(path(), 0, 2)).ok());
    for (int i = 0; i < 100; ++i)
        spdlog::info("line {} of the log", i);
    EXPECT_FALSE(fs::exists(path() + ".1"));
    EXPECT_GT(fs::file_size(path()), 2000u);
}

TEST_F(LoggingTest, ReopenFollowsLogrotateMovingTheFile) {
    ASSERT_TRUE(set_file(spec(path())).ok());
    spdlog::info("before");
    fs::rename(path(), path("superv.log.old"));
    ASSERT_TRUE(reopen().ok());
    spdlog::info("after");
    EXPECT_THAT(read(path("superv.log.old")), HasSubstr("before"));
    EXPECT_THAT(read(path()), HasSubstr("after"));
    EXPECT_THAT(read(path()), Not(HasSubstr("before")));
}

TEST_F(LoggingTest, ClearEmptiesTheFileAndLoggingGoesOn) {
    ASSERT_TRUE(set_file(spec(path())).ok());
    spdlog::info("old news");
    EXPECT_EQ(clear(), LogFault::None);
    EXPECT_EQ(read(path()), "");
    spdlog::info("fresh");
    EXPECT_THAT(read(path()), HasSubstr("fresh"));
    EXPECT_THAT(read(path()), Not(HasSubstr("old news")));
}

TEST_F(LoggingTest, ClearWithoutAFileIsNoFile) {
    EXPECT_EQ(file_path(), "");
    EXPECT_EQ(clear(), LogFault::NoFile);
    ASSERT_TRUE(set_file(spec(path())).ok());
    fs::remove(path());
    EXPECT_EQ(clear(), LogFault::NoFile);
}

TEST_F(LoggingTest, ASecondFileReplacesTheFirstOnReload) {
    ASSERT_TRUE(set_file(spec(path("a.log"))).ok());
    spdlog::info("first config");
    ASSERT_TRUE(set_file(spec(path("b.log"))).ok());
    spdlog::info("second config");
    EXPECT_EQ(file_path(), path("b.log"));
    EXPECT_THAT(read(path("a.log")), Not(HasSubstr("second config")));
    EXPECT_THAT(read(path("b.log")), HasSubstr("second config"));
    EXPECT_THAT(read(path("b.log")), Not(HasSubstr("first config")));
}

TEST_F(LoggingTest, TheSameSpecKeepsTheOpenFile) {
    ASSERT_TRUE(set_file(spec(path())).ok());
    fs::rename(path(), path("moved.log"));
    ASSERT_TRUE(set_file(spec(path())).ok());  // a reload with the same logfile
    spdlog::info("still here");
    EXPECT_THAT(read(path("moved.log")), HasSubstr("still here"));
}

TEST_F(LoggingTest, NoFileTargetStopsWritingTheFile) {
    ASSERT_TRUE(set_file(spec(path())).ok());
    ASSERT_TRUE(
        set_file(config::LogSpec{config::LogTarget{config::LogTarget::Kind::None, {}}}).ok());
    spdlog::info("stderr only");
    EXPECT_EQ(file_path(), "");
    EXPECT_EQ(read(path()), "");
}

TEST_F(LoggingTest, ConfigureTakesTheLevelAndTheFileFromTheConfig) {
    config::DaemonConfig daemon;
    daemon.log_level = "debug";
    daemon.logfile = spec(path());
    configure(daemon);
    spdlog::debug("debug is on");
    set_level("info");
    EXPECT_EQ(file_path(), path());
    EXPECT_THAT(read(path()), HasSubstr("debug is on"));
}

TEST_F(LoggingTest, AnUnopenableFileIsAnErrorAndReopenRetriesIt) {
    const std::string later = dir_ + "/later/superv.log";
    auto r = set_file(spec(later));
    ASSERT_FALSE(r.ok());
    EXPECT_STREQ(r.error().call, "open");
    spdlog::info("lost");
    fs::create_directory(dir_ + "/later");
    ASSERT_TRUE(reopen().ok());
    spdlog::info("kept");
    EXPECT_THAT(read(later), HasSubstr("kept"));
    EXPECT_THAT(read(later), Not(HasSubstr("lost")));
}

}  // namespace
}  // namespace superv::log

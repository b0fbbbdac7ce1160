// Size rotation as supervisord users know it, on files in a temp directory.
#include "superv/log/rotating_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace superv::log {
namespace {

namespace fs = std::filesystem;

class RotatingFileTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/superv-rotate-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string path(const std::string& name = "out.log") const { return dir_ + "/" + name; }
    static std::string read(const std::string& p) {
        std::ifstream in(p);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    std::string dir_;
};

TEST_F(RotatingFileTest, AppendsToAnExistingFileAndCountsItsSize) {
    { std::ofstream(path()) << "old\n"; }
    RotatingFile f(path(), 0, 3);
    ASSERT_TRUE(f.open().ok());
    EXPECT_EQ(f.size(), 4u);
    ASSERT_TRUE(f.write("new\n").ok());
    EXPECT_EQ(read(path()), "old\nnew\n");
}

TEST_F(RotatingFileTest, NeverRotatesWithZeroMaxBytes) {
    RotatingFile f(path(), 0, 3);
    for (int i = 0; i < 100; ++i)
        ASSERT_TRUE(f.write("0123456789\n").ok());
    EXPECT_EQ(fs::file_size(path()), 1100u);
    EXPECT_FALSE(fs::exists(path() + ".1"));
}

TEST_F(RotatingFileTest, RotatesAtTheSizeKeepingTheConfiguredBackups) {
    RotatingFile f(path(), 100, 2);
    for (int i = 0; i < 50; ++i)
        ASSERT_TRUE(f.write("line-of-ten-bytes\n").ok());  // 18 bytes
    EXPECT_TRUE(fs::exists(path() + ".1"));
    EXPECT_TRUE(fs::exists(path() + ".2"));
    EXPECT_FALSE(fs::exists(path() + ".3"));
    for (const auto& p : {path(), path() + ".1", path() + ".2"}) {
        EXPECT_LE(fs::file_size(p), 100u) << p;
    }
    EXPECT_EQ(fs::file_size(path() + ".1"), 90u);  // five whole lines
}

TEST_F(RotatingFileTest, NewestBackupIsDotOne) {
    RotatingFile f(path(), 10, 3);
    ASSERT_TRUE(f.write("first\n").ok());
    ASSERT_TRUE(f.write("second\n").ok());
    ASSERT_TRUE(f.write("third\n").ok());
    EXPECT_EQ(read(path()), "third\n");
    EXPECT_EQ(read(path() + ".1"), "second\n");
    EXPECT_EQ(read(path() + ".2"), "first\n");
}

TEST_F(RotatingFileTest, KeepsLinesWholeAcrossARotation) {
    RotatingFile f(path(), 10, 1);
    ASSERT_TRUE(f.write("aaaa\nbbbb\ncccc\n").ok());
    EXPECT_EQ(read(path() + ".1"), "aaaa\nbbbb\n");
    EXPECT_EQ(read(path()), "cccc\n");
}

TEST_F(RotatingFileTest, SplitsOnlyALineLongerThanTheFile) {
    RotatingFile f(path(), 4, 1);
    ASSERT_TRUE(f.write("abcdefg\n").ok());
    EXPECT_EQ(read(path() + ".1"), "abcd");
    EXPECT_EQ(read(path()), "efg\n");
}

TEST_F(RotatingFileTest, ZeroBackupsTruncatesInstead) {
    RotatingFile f(path(), 10, 0);
    ASSERT_TRUE(f.write("12345678\n").ok());
    ASSERT_TRUE(f.write("abc\n").ok());
    EXPECT_EQ(read(path()), "abc\n");
    EXPECT_FALSE(fs::exists(path() + ".1"));
}

TEST_F(RotatingFileTest, ReopenFollowsLogrotateMovingTheFile) {
    RotatingFile f(path(), 0, 1);
    ASSERT_TRUE(f.write("before\n").ok());
    fs::rename(path(), path("moved.log"));
    ASSERT_TRUE(f.reopen().ok());
    ASSERT_TRUE(f.write("after\n").ok());
    EXPECT_EQ(read(path("moved.log")), "before\n");
    EXPECT_EQ(read(path()), "after\n");
}

TEST_F(RotatingFileTest, ClearRemovesTheFileButNotItsBackupsAndStartsAfresh) {
    RotatingFile f(path(), 10, 2);
    ASSERT_TRUE(f.write("first\n").ok());
    ASSERT_TRUE(f.write("second\n").ok());
    ASSERT_TRUE(f.clear().ok());
    EXPECT_EQ(f.size(), 0u);
    EXPECT_EQ(read(path()), "");
    EXPECT_EQ(read(path() + ".1"), "first\n");
    ASSERT_TRUE(f.write("third\n").ok());
    EXPECT_EQ(read(path()), "third\n");
}

TEST_F(RotatingFileTest, ClearOfAFileAlreadyGoneStillReopens) {
    RotatingFile f(path(), 0, 1);
    ASSERT_TRUE(f.write("x\n").ok());
    fs::remove(path());
    ASSERT_TRUE(f.clear().ok());
    EXPECT_TRUE(f.is_open());
    EXPECT_TRUE(fs::exists(path()));
}

TEST_F(RotatingFileTest, AnUnwritablePathIsAnErrorNamingTheCall) {
    RotatingFile f(dir_ + "/no/such/dir/out.log", 0, 1);
    auto r = f.open();
    ASSERT_FALSE(r.ok());
    EXPECT_STREQ(r.error().call, "open");
    EXPECT_EQ(r.error().err, ENOENT);
    EXPECT_FALSE(f.write("x\n").ok());
}

}  // namespace
}  // namespace superv::log

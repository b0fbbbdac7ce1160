// supervisord's readFile and tailFile (options.py), branch by branch, on
// files in a temp directory.
#include "superv/log/log_file_reader.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace superv::log {
namespace {

namespace fs = std::filesystem;

class LogFileReaderTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/superv-logread-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        std::ofstream(path()) << "0123456789";
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string path(const std::string& name = "out.log") const { return dir_ + "/" + name; }

    std::string dir_;
};

// --- read_log (readFile) ---

TEST_F(LogFileReaderTest, ReadOfAMissingFileIsNoFile) {
    EXPECT_EQ(read_log(path("absent.log"), 0, 0).fault, LogFault::NoFile);
    EXPECT_EQ(read_log("", 0, 0).fault, LogFault::NoFile);
}

TEST_F(LogFileReaderTest, ReadOfSomethingThatCannotBeOpenedIsFailed) {
    EXPECT_EQ(read_log(dir_, 0, 0).fault, LogFault::Failed);
}

TEST_F(LogFileReaderTest, AnUnreadableFileIsFailedEvenWithBadArguments) {
    if (::geteuid() == 0) GTEST_SKIP() << "root reads mode 000 files";
    ::chmod(path().c_str(), 0);
    EXPECT_EQ(read_log(path(), 0, 0).fault, LogFault::Failed);
    // supervisord opens the file before it looks at the arguments.
    EXPECT_EQ(read_log(path(), -5, 3).fault, LogFault::Failed);
}

TEST_F(LogFileReaderTest, ZeroLengthReadsFromTheOffsetToTheEnd) {
    EXPECT_EQ(read_log(path(), 0, 0).bytes, "0123456789");
    EXPECT_EQ(read_log(path(), 4, 0).bytes, "456789");
}

TEST_F(LogFileReaderTest, LengthReadsAtMostThatManyBytes) {
    const LogRead r = read_log(path(), 2, 3);
    EXPECT_EQ(r.fault, LogFault::None);
    EXPECT_EQ(r.bytes, "234");
    EXPECT_EQ(read_log(path(), 7, 100).bytes, "789");
}

TEST_F(LogFileReaderTest, AnOffsetPastTheEndReadsNothing) {
    const LogRead r = read_log(path(), 100, 0);
    EXPECT_EQ(r.fault, LogFault::None);
    EXPECT_EQ(r.bytes, "");
}

TEST_F(LogFileReaderTest, ANegativeOffsetReadsThatManyBytesFromTheEnd) {
    EXPECT_EQ(read_log(path(), -3, 0).bytes, "789");
    EXPECT_EQ(read_log(path(), -100, 0).bytes, "0123456789");
}

TEST_F(LogFileReaderTest, ANegativeOffsetWithALengthIsBadArguments) {
    EXPECT_EQ(read_log(path(), -3, 2).fault, LogFault::BadArguments);
}

TEST_F(LogFileReaderTest, ANegativeLengthIsBadArguments) {
    EXPECT_EQ(read_log(path(), 0, -2).fault, LogFault::BadArguments);
}

TEST_F(LogFileReaderTest, OneReadIsCappedButChunkedReadsGetEverything) {
    const std::string big = path("big.log");
    { std::ofstream(big) << "x"; }
    fs::resize_file(big, kMaxLogRead + 10);
    const LogRead first = read_log(big, 0, 0);
    ASSERT_EQ(first.fault, LogFault::None);
    EXPECT_EQ(static_cast<std::int64_t>(first.bytes.size()), kMaxLogRead);
    EXPECT_EQ(first.bytes.front(), 'x');
    EXPECT_EQ(read_log(big, kMaxLogRead, 0).bytes.size(), 10u);
}

// --- tail_log (tailFile) ---

TEST_F(LogFileReaderTest, TailOfAMissingFileIsEmptyAtOffsetZero) {
    const LogTail t = tail_log(path("absent.log"), 7, 5);
    EXPECT_EQ(t.bytes, "");
    EXPECT_EQ(t.offset, 0);
    EXPECT_FALSE(t.overflow);
}

TEST_F(LogFileReaderTest, TailOfAnUnopenableFileKeepsTheOffset) {
    const LogTail t = tail_log(dir_, 7, 5);
    EXPECT_EQ(t.bytes, "");
    EXPECT_EQ(t.offset, 7);
    EXPECT_FALSE(t.overflow);
}

TEST_F(LogFileReaderTest, TailOfAFileThatGrewPastOffsetPlusLengthOverflows) {
    const LogTail t = tail_log(path(), 2, 3);
    EXPECT_EQ(t.bytes, "789");
    EXPECT_EQ(t.offset, 10);
    EXPECT_TRUE(t.overflow);
}

TEST_F(LogFileReaderTest, TailEndingExactlyAtTheEndReadsFromTheOffset) {
    const LogTail t = tail_log(path(), 6, 4);
    EXPECT_EQ(t.bytes, "6789");
    EXPECT_EQ(t.offset, 10);
    EXPECT_FALSE(t.overflow);
}

TEST_F(LogFileReaderTest, TailReachingPastTheEndReturnsTheLastLengthBytes) {
    // tailFile moves the offset back to size - length, so bytes before the
    // asked-for offset come back too.
    const LogTail t = tail_log(path(), 5, 8);
    EXPECT_EQ(t.bytes, "23456789");
    EXPECT_EQ(t.offset, 10);
    EXPECT_FALSE(t.overflow);
    EXPECT_EQ(tail_log(path(), 0, 100).bytes, "0123456789");
}

TEST_F(LogFileReaderTest, TailAtOrPastTheEndReadsNothing) {
    for (std::int64_t offset : {10, 25}) {
        const LogTail t = tail_log(path(), offset, 5);
        EXPECT_EQ(t.bytes, "");
        EXPECT_EQ(t.offset, 10);
        EXPECT_FALSE(t.overflow);
    }
}

TEST_F(LogFileReaderTest, TailWithZeroLengthOnlyReportsTheOverflow) {
    const LogTail t = tail_log(path(), 0, 0);
    EXPECT_EQ(t.bytes, "");
    EXPECT_EQ(t.offset, 10);
    EXPECT_TRUE(t.overflow);
}

TEST_F(LogFileReaderTest, TailWithANegativeLengthReadsNothing) {
    const LogTail t = tail_log(path(), 3, -2);
    EXPECT_EQ(t.bytes, "");
    EXPECT_EQ(t.offset, 10);
    EXPECT_TRUE(t.overflow);
}

TEST_F(LogFileReaderTest, TailOfAnEmptyFileIsEmpty) {
    { std::ofstream(path("empty.log")); }
    const LogTail t = tail_log(path("empty.log"), 0, 10);
    EXPECT_EQ(t.bytes, "");
    EXPECT_EQ(t.offset, 0);
    EXPECT_FALSE(t.overflow);
}

}  // namespace
}  // namespace superv::log

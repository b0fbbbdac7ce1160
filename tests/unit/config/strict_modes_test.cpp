// StrictModes: config files (and their directories) that someone other than
// root could change are refused, unless the check is turned off.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "superv/config/loader.hpp"
#include "temp_files.hpp"

namespace superv::config {
namespace {

using test_support::file_errors;
using test_support::TempFiles;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::string kProgram = "[programs.web]\ncommand = \"/bin/web\"\n";
const std::string kWritable =
    ": writable by group/others; fix its mode or run with --no-strict-modes";

// The refusal of `file` because of the directory `dir` it is in.
std::string open_directory(const std::string& file, const std::string& dir) {
    return file + ": its directory " + dir + " is" + kWritable.substr(1);
}

TEST(StrictModes, AcceptsAFileOnlyItsOwnerCanWrite) {
    TempFiles files;
    std::string main = files.write("superv.toml", kProgram, 0644);
    EXPECT_THAT(file_errors(main, true), IsEmpty());
}

TEST(StrictModes, RefusesAFileOthersCanWrite) {
    TempFiles files;
    std::string main = files.write("superv.toml", kProgram, 0666);
    EXPECT_THAT(file_errors(main, true), ElementsAre(main + kWritable));
    EXPECT_THAT(file_errors(main, false), IsEmpty());
}

TEST(StrictModes, RefusesAFileItsGroupCanWrite) {
    TempFiles files;
    std::string main = files.write("superv.toml", kProgram, 0664);
    EXPECT_THAT(file_errors(main, true), ElementsAre(main + kWritable));
}

TEST(StrictModes, RefusesAFileInADirectoryOthersCanWrite) {
    TempFiles files;
    std::string main = files.write("open/superv.toml", kProgram, 0644);
    ::chmod(files.path("open").c_str(), 0777);
    EXPECT_THAT(file_errors(main, true), ElementsAre(open_directory(main, files.path("open"))));
}

TEST(StrictModes, AcceptsAFileInAStickyDirectoryOthersCanWrite) {
    TempFiles files;  // like /tmp: others may add files, not replace this one
    std::string main = files.write("sticky/superv.toml", kProgram, 0644);
    ::chmod(files.path("sticky").c_str(), 01777);
    EXPECT_THAT(file_errors(main, true), IsEmpty());
}

TEST(StrictModes, RefusesASymlinkIntoADirectoryOthersCanWrite) {
    TempFiles files;
    std::string target = files.write("open/real.toml", kProgram, 0644);
    ::chmod(files.path("open").c_str(), 0777);
    std::string link = files.path("superv.toml");
    ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
    EXPECT_THAT(file_errors(link, true), ElementsAre(open_directory(link, files.path("open"))));
}

TEST(StrictModes, ChecksIncludedFilesToo) {
    TempFiles files;
    std::string main = files.write("superv.toml", "include = [\"conf.d/*.toml\"]\n", 0644);
    std::string web = files.write("conf.d/web.toml", kProgram, 0646);
    EXPECT_THAT(file_errors(main, true), ElementsAre(web + kWritable));
    EXPECT_THAT(file_errors(main, false), IsEmpty());

    ::chmod(web.c_str(), 0644);
    ::chmod(files.path("conf.d").c_str(), 0775);
    EXPECT_THAT(file_errors(main, true), ElementsAre(open_directory(web, files.path("conf.d"))));
}

TEST(StrictModes, RefusesAFileOwnedBySomeoneElse) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file away";
    TempFiles files;
    std::string main = files.write("superv.toml", kProgram, 0644);
    ASSERT_EQ(::chown(main.c_str(), 65534, 65534), 0);
    std::vector<std::string> errors = file_errors(main, true);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_THAT(errors[0], ::testing::MatchesRegex(
                               ".*superv.toml: owned by [a-z0-9 ]+, not root; fix its owner or run "
                               "with --no-strict-modes"));
    EXPECT_THAT(file_errors(main, false), IsEmpty());
}

TEST(StrictModes, DefaultIsOnForRootUnlessTheEnvironmentOptsOut) {
    ::unsetenv("SUPERV_NO_STRICT_MODES");
    EXPECT_EQ(LoadOptions::defaults().strict_modes, ::geteuid() == 0);
    ::setenv("SUPERV_NO_STRICT_MODES", "1", 1);
    EXPECT_FALSE(LoadOptions::defaults().strict_modes);
    ::setenv("SUPERV_NO_STRICT_MODES", "0", 1);
    EXPECT_EQ(LoadOptions::defaults().strict_modes, ::geteuid() == 0);
    ::unsetenv("SUPERV_NO_STRICT_MODES");
}

TEST(StrictModes, DisablingTurnsTheDefaultOff) {
    // In a child: disabling lasts for the rest of the process.
    EXPECT_EXIT(
        {
            disable_strict_modes();
            std::exit(LoadOptions::defaults().strict_modes ? 1 : 0);
        },
        ::testing::ExitedWithCode(0), "");
}

TEST(StrictModes, TheDefaultAppliesToLoadFile) {
    if (::geteuid() != 0) GTEST_SKIP() << "StrictModes are on by default only for root";
    TempFiles files;
    std::string main = files.write("superv.toml", kProgram, 0666);
    ::unsetenv("SUPERV_NO_STRICT_MODES");
    EXPECT_FALSE(load_file(main).ok());
    ::setenv("SUPERV_NO_STRICT_MODES", "1", 1);
    EXPECT_TRUE(load_file(main).ok());
    ::unsetenv("SUPERV_NO_STRICT_MODES");
}

}  // namespace
}  // namespace superv::config

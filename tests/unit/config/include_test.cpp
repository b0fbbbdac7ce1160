// `include = [...]`: which files are read, in which order, and how their
// errors are reported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "load_helpers.hpp"
#include "superv/config/loader.hpp"
#include "temp_files.hpp"

namespace superv::config {
namespace {

using test_support::file_errors;
using test_support::load_file_ok;
using test_support::names;
using test_support::program;
using test_support::TempFiles;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::string kInclude = "include = [\"conf.d/*.toml\"]\n";

TEST(Include, AddsProgramsFromMatchesInSortedOrderAfterTheMainFile) {
    TempFiles files;
    std::string main = files.write("superv.toml", kInclude + program("main_web"));
    files.write("conf.d/b.toml", program("bravo") + program("alpha"));
    files.write("conf.d/a.toml", program("zulu"));
    files.write("conf.d/notes.txt", program("ignored"));

    Config config = load_file_ok(main);
    EXPECT_THAT(names(config), ElementsAre("main_web", "zulu", "bravo", "alpha"));
    EXPECT_THAT(config.included,
                ElementsAre(files.path("conf.d/a.toml"), files.path("conf.d/b.toml")));
}

TEST(Include, PatternsAreReadInTheirOrderAndEachFileOnce) {
    TempFiles files;
    std::string main = files.write(
        "superv.toml", "include = [\"extra/*.toml\", \"conf.d/*.toml\", \"conf.d/a.toml\", \"" +
                           files.path("abs") + "/*.toml\"]\n");
    files.write("conf.d/a.toml", program("a"));
    files.write("extra/x.toml", program("x"));
    files.write("abs/y.toml", program("y"));

    EXPECT_THAT(names(load_file_ok(main)), ElementsAre("x", "a", "y"));
}

TEST(Include, APatternThatMatchesNothingIsFine) {
    TempFiles files;
    std::string main =
        files.write("superv.toml", "include = [\"conf.d/*.toml\", \"missing/dir/*.toml\"]\n");
    Config config = load_file_ok(main);
    EXPECT_THAT(config.programs, IsEmpty());
    EXPECT_THAT(config.included, IsEmpty());
}

TEST(Include, ErrorsInAnIncludedFileNameThatFile) {
    TempFiles files;
    std::string main = files.write("superv.toml", kInclude + "[programs.web]\nstartsecs = -1\n");
    std::string web = files.write("conf.d/web.toml",
                                  "[programs.api]\ncommand = \"/bin/api\"\n"
                                  "stopwaitsec = 5\n");
    std::string broken = files.write("conf.d/x.toml", "[programs.x\n");

    EXPECT_THAT(
        file_errors(main, false),
        ElementsAre(main + ":2:1: program \"web\" has no \"command\"",
                    main + ":3:13: \"startsecs\" must not be negative",
                    web + ":3:1: unknown key \"stopwaitsec\" in [programs.api] (did you "
                          "mean \"stopwaitsecs\"?)",
                    broken + ":1:12: Error while parsing table header: expected ']', saw '\\n'"));
}

TEST(Include, ADuplicateProgramNamesBothPlaces) {
    TempFiles files;
    std::string main = files.write("superv.toml", kInclude + "\n" + program("web"));
    std::string a = files.write("conf.d/a.toml", program("api"));
    std::string b = files.write("conf.d/b.toml", "\n\n" + program("api") + program("web"));

    EXPECT_THAT(file_errors(main, false),
                ElementsAre(b + ":3:1: program \"api\" is already defined at " + a + ":1:1",
                            b + ":5:1: program \"web\" is already defined at " + main + ":3:1"));
}

TEST(Include, ADuplicateGroupNamesBothPlaces) {
    TempFiles files;
    std::string main = files.write(
        "superv.toml", kInclude + program("a") + program("b") + "[groups.g]\nprograms = [\"a\"]\n");
    std::string extra = files.write("conf.d/g.toml", "[groups.g]\nprograms = [\"b\"]\n");

    EXPECT_THAT(file_errors(main, false),
                ElementsAre(extra + ":1:1: group \"g\" is already defined at " + main + ":6:1"));
}

TEST(Include, GroupsSpanFiles) {
    TempFiles files;
    std::string main = files.write(
        "superv.toml", kInclude + "[groups.backend]\nprograms = [\"api\", \"worker\"]\n");
    files.write("conf.d/api.toml", program("api"));
    files.write("conf.d/worker.toml", program("worker"));

    Config config = load_file_ok(main);
    ASSERT_EQ(config.groups.size(), 1u);
    EXPECT_THAT(config.groups[0].programs, ElementsAre("api", "worker"));
}

TEST(Include, AnUndefinedGroupMemberIsStillAnError) {
    TempFiles files;
    std::string main =
        files.write("superv.toml", kInclude + "[groups.backend]\nprograms = [\"api\"]\n");
    files.write("conf.d/other.toml", program("worker"));

    EXPECT_THAT(file_errors(main, false),
                ElementsAre(main + ":3:13: group \"backend\" lists program \"api\", which is not "
                                   "defined"));
}

TEST(Include, IncludedFilesMayNotSetSupervOrIncludeFurther) {
    TempFiles files;
    std::string main = files.write("superv.toml", kInclude);
    std::string extra = files.write(
        "conf.d/extra.toml", "include = [\"more/*.toml\"]\n[superv]\nlog_level = \"debug\"\n");

    EXPECT_THAT(
        file_errors(main, false),
        ElementsAre(extra + ":1:1: \"include\" is allowed only in the main config file: included "
                            "files cannot include others",
                    extra + ":2:2: [superv] is allowed only in the main config file, not in an "
                            "included one"));
}

TEST(Include, RelativePathsInAnIncludedFileAreRelativeToIt) {
    TempFiles files;
    std::string main = files.write("superv.toml", kInclude);
    files.write("conf.d/web.toml", program("web") + "directory = \"srv\"\n");

    Config config = load_file_ok(main);
    ASSERT_EQ(config.programs.size(), 1u);
    EXPECT_EQ(config.programs[0].directory, files.path("conf.d/srv"));
}

TEST(Include, RejectsABadIncludeValue) {
    TempFiles files;
    std::string not_array = files.write("a.toml", "include = \"conf.d/*.toml\"\n");
    std::string bad_entries = files.write("b.toml", "include = [1, \"\"]\n");

    EXPECT_THAT(file_errors(not_array, false),
                ElementsAre(not_array + ":1:11: \"include\" must be an array of glob patterns "
                                        "such as [\"conf.d/*.toml\"], not a string"));
    EXPECT_THAT(file_errors(bad_entries, false),
                ElementsAre(bad_entries + ":1:12: every entry of \"include\" must be a glob "
                                          "pattern, not an integer",
                            bad_entries + ":1:15: an \"include\" pattern must not be empty"));
}

TEST(Include, MatchingTheMainFileItselfIsAnError) {
    TempFiles files;
    std::string main = files.write("superv.toml", "include = [\"*.toml\"]\n");
    files.write("other.toml", program("other"));

    EXPECT_THAT(file_errors(main, false),
                ElementsAre(main + ":1:12: include \"*.toml\" matches the main config file " +
                            main + " itself"));
}

TEST(Include, AnUnreadableMatchIsAnError) {
    TempFiles files;
    std::string main = files.write("superv.toml", kInclude);
    files.write("conf.d/dir.toml/inner", "");

    EXPECT_THAT(file_errors(main, false), ElementsAre(files.path("conf.d/dir.toml") +
                                                      ": cannot read config: Is a directory"));
}

TEST(Include, ARelativeMainFileGivesRelativeIncludedNames) {
    TempFiles files;
    files.write("superv.toml", kInclude);
    files.write("conf.d/web.toml", "[programs.web]\n");
    std::string cwd = std::filesystem::current_path();
    std::filesystem::current_path(files.path());

    std::vector<std::string> errors = file_errors("superv.toml", false);
    std::filesystem::current_path(cwd);
    EXPECT_THAT(errors, ElementsAre("conf.d/web.toml:1:1: program \"web\" has no \"command\""));
}

}  // namespace
}  // namespace superv::config

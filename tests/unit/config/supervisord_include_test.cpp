// [include] of supervisord.conf, and which files are read as supervisord's
// format at all.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "superv/config/loader.hpp"
#include "superv/config/supervisord.hpp"
#include "temp_files.hpp"

namespace superv::config {
namespace {

using test_support::file_errors;
using test_support::load_file_ok;
using test_support::names;
using test_support::TempFiles;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> warnings(const Config& config) {
    std::vector<std::string> out;
    for (const ConfigError& w : config.warnings)
        out.push_back(w.to_string());
    return out;
}

std::string program(const std::string& name) {
    return "[program:" + name + "]\ncommand = /bin/" + name + "\n";
}

TEST(SupervisordInclude, ReadsEveryMatchOfEachPatternInSortedOrder) {
    TempFiles files;
    std::string main =
        files.write("supervisord.conf", "[supervisord]\n[include]\nfiles = conf.d/*.conf " +
                                            files.path("abs") + "/*.ini\n" + program("main"));
    files.write("conf.d/b.conf", program("bravo"));
    files.write("conf.d/a.conf", program("alpha"));
    files.write("conf.d/notes.txt", program("ignored"));
    files.write("abs/x.ini", program("xray"));
    Config config = load_file_ok(main);
    EXPECT_EQ(config.format, ConfigFormat::Supervisord);
    EXPECT_THAT(names(config), ElementsAre("main", "alpha", "bravo", "xray"));
    EXPECT_THAT(config.included, ElementsAre(files.path("conf.d/a.conf"),
                                             files.path("conf.d/b.conf"), files.path("abs/x.ini")));
    EXPECT_THAT(warnings(config), IsEmpty());
}

TEST(SupervisordInclude, HereIsTheDirectoryOfTheIncludedFile) {
    TempFiles files;
    std::string main =
        files.write("supervisord.conf", "[supervisord]\n[include]\nfiles = conf.d/*.conf\n");
    files.write("conf.d/a.conf", program("a") + "directory = %(here)s\nstdout_logfile = a.log\n");
    Config config = load_file_ok(main);
    ASSERT_EQ(config.programs.size(), 1u);
    EXPECT_EQ(config.programs[0].directory, files.path("conf.d"));
    EXPECT_EQ(config.programs[0].stdout_log.target.path, files.path("conf.d") + "/a.log");
}

TEST(SupervisordInclude, IncludedFilesMayAddToAnySection) {
    TempFiles files;
    std::string main = files.write("supervisord.conf",
                                   "[supervisord]\nidentifier = one\n[include]\nfiles = *.ini\n");
    files.write("more.ini", "[supervisord]\nidentifier = two\n" + program("p"));
    Config config = load_file_ok(main);
    EXPECT_EQ(config.daemon.identifier, "two");
    EXPECT_THAT(warnings(config),
                ElementsAre(HasSubstr("more.ini:1:1: [supervisord] is already at " + main),
                            HasSubstr("more.ini:2:1: \"identifier\" is already set")));
}

TEST(SupervisordInclude, ErrorsInAnIncludedFileNameIt) {
    TempFiles files;
    std::string main =
        files.write("supervisord.conf", "[supervisord]\nminfds = x\n[include]\nfiles = *.ini\n");
    std::string extra = files.write("extra.ini", "[program:p]\ncommand = x\nstartsecs = soon\n");
    EXPECT_THAT(file_errors(main, false),
                ElementsAre(main + ":2:10: \"minfds\" must be an integer, not \"x\"",
                            extra + ":3:13: \"startsecs\" must be an integer, not \"soon\""));
}

TEST(SupervisordInclude, PatternsThatMatchNothingAreWarnings) {
    TempFiles files;
    std::string main = files.write(
        "supervisord.conf", "[supervisord]\n[include]\nfiles = none/*.conf\n" + program("a"));
    EXPECT_THAT(warnings(load_file_ok(main)),
                ElementsAre(main + ":3:1: [include] files \"none/*.conf\" matches no file"));
}

TEST(SupervisordInclude, IncludesDoNotNestAsInSupervisord) {
    TempFiles files;
    std::string main = files.write("supervisord.conf", "[supervisord]\n[include]\nfiles = a.ini\n");
    std::string a = files.write("a.ini", "[include]\nfiles = b.ini\n" + program("a"));
    files.write("b.ini", program("b"));
    Config config = load_file_ok(main);
    EXPECT_THAT(names(config), ElementsAre("a"));
    EXPECT_THAT(warnings(config),
                ElementsAre(HasSubstr("a.ini:1:1: [include] is already at"),
                            a + ":1:1: [include] in an included file has no effect: supervisord "
                                "reads the main file's [include] only",
                            HasSubstr("a.ini:2:1: \"files\" is already set")));
}

TEST(SupervisordInclude, TheMainFileIsNotReadTwice) {
    TempFiles files;
    std::string main = files.write("supervisord.conf",
                                   "[supervisord]\n[include]\nfiles = *.conf\n" + program("a"));
    Config config = load_file_ok(main);
    EXPECT_THAT(names(config), ElementsAre("a"));
    EXPECT_THAT(warnings(config), ElementsAre(HasSubstr("matches the main config file")));
}

TEST(SupervisordInclude, IncludeWithoutFilesIsAnError) {
    TempFiles files;
    std::string main = files.write("supervisord.conf", "[supervisord]\n[include]\n");
    EXPECT_THAT(file_errors(main, false), ElementsAre(main + ":2:1: [include] has no \"files\""));
}

TEST(SupervisordInclude, StrictModesApplyToEveryFileRead) {
    TempFiles files;
    std::string main = files.write("supervisord.conf", "[supervisord]\n[include]\nfiles = *.ini\n");
    std::string loose = files.write("loose.ini", program("a"), 0666);
    EXPECT_THAT(file_errors(main, true),
                ElementsAre(loose + ": writable by group/others; fix its mode or run with "
                                    "--no-strict-modes"));
    EXPECT_THAT(file_errors(main, false), IsEmpty());
}

TEST(SupervisordInclude, AnUnreadableIncludedFileIsAnError) {
    TempFiles files;
    std::string main = files.write("supervisord.conf", "[supervisord]\n[include]\nfiles = d\n");
    files.write("d/x", "");  // "d" is a directory
    EXPECT_THAT(file_errors(main, false),
                ElementsAre(files.path("d") + ": cannot read config: Is a directory"));
}

TEST(SupervisordFormat, IsRecognisedByItsFirstSection) {
    EXPECT_TRUE(looks_like_supervisord("[supervisord]\n"));
    EXPECT_TRUE(looks_like_supervisord("; comment\n\n[program:x]\ncommand = y\n"));
    EXPECT_TRUE(looks_like_supervisord("[group:g]\n"));
    EXPECT_TRUE(looks_like_supervisord("[include]\n"));
    EXPECT_TRUE(looks_like_supervisord("[unix_http_server]\n"));
    EXPECT_TRUE(looks_like_supervisord("[inet_http_server]\n"));
    EXPECT_TRUE(looks_like_supervisord("[supervisorctl]\n"));
    EXPECT_TRUE(looks_like_supervisord("[rpcinterface:supervisor]\n"));
    EXPECT_TRUE(looks_like_supervisord("[eventlistener:e]\n"));
    EXPECT_TRUE(looks_like_supervisord("[fcgi-program:f]\n"));
    EXPECT_TRUE(looks_like_supervisord("[ctlplugin:c]\n"));
    EXPECT_TRUE(looks_like_supervisord("[superv]\nsocket = x\n[program:x]\n"));
    EXPECT_TRUE(looks_like_supervisord("[DEFAULT]\nx = 1\n[supervisord]\n"));
    EXPECT_FALSE(looks_like_supervisord("[superv]\nsocket = \"x\"\n[programs.web]\n"));
    EXPECT_FALSE(looks_like_supervisord("include = [\"a/*.toml\"]\n[programs.web]\n"));
    EXPECT_FALSE(looks_like_supervisord("[programs.web] # [program:x]\n[program:x]\n"));
    EXPECT_FALSE(looks_like_supervisord("[[programs]]\n"));
    EXPECT_FALSE(looks_like_supervisord(""));
}

TEST(SupervisordFormat, LoadStringReadsEitherFormat) {
    LoadResult ini =
        load_string("[supervisord]\n[program:a]\ncommand = /bin/a\n", "/etc/x.conf", LoadOptions{});
    ASSERT_TRUE(ini.ok());
    EXPECT_EQ(ini.config().format, ConfigFormat::Supervisord);
    LoadResult toml =
        load_string("[programs.a]\ncommand = \"/bin/a\"\n", "/etc/x.toml", LoadOptions{});
    ASSERT_TRUE(toml.ok());
    EXPECT_EQ(toml.config().format, ConfigFormat::Toml);
    EXPECT_TRUE(toml.config().warnings.empty());
}

}  // namespace
}  // namespace superv::config

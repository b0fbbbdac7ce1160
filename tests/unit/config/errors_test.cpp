// Every class of config error, with the exact FILE:LINE:COL it is reported at.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "load_helpers.hpp"

namespace superv::config {
namespace {

using test_support::errors_of;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

// A valid [programs.web] header and command, so each test adds one bad line 3.
std::vector<std::string> web_errors(const std::string& line3) {
    return errors_of("[programs.web]\ncommand = \"/bin/web\"\n" + line3 + "\n");
}

TEST(ConfigErrors, ReportsTomlSyntaxErrorWithItsPosition) {
    auto errors = errors_of("a = 1\nb = \n");
    ASSERT_THAT(errors, SizeIs(1));
    EXPECT_THAT(errors[0], StartsWith("/etc/superv/superv.toml:2:5: "));
}

TEST(ConfigErrors, ReportsUnknownKeyWithSuggestion) {
    EXPECT_THAT(web_errors("stopwaitsec = 5"),
                ElementsAre("/etc/superv/superv.toml:3:1: unknown key \"stopwaitsec\" in "
                            "[programs.web] (did you mean \"stopwaitsecs\"?)"));
}

TEST(ConfigErrors, SuggestsForTransposedLettersAndAbbreviations) {
    EXPECT_THAT(web_errors("autorestrat = true"),
                ElementsAre(HasSubstr("(did you mean \"autorestart\"?)")));
    EXPECT_THAT(web_errors("env = { A = \"1\" }"),
                ElementsAre(HasSubstr("(did you mean \"environment\"?)")));
}

TEST(ConfigErrors, ReportsUnknownKeyWithoutSuggestionWhenNothingIsClose) {
    EXPECT_THAT(web_errors("frobnicate = 1"),
                ElementsAre("/etc/superv/superv.toml:3:1: unknown key \"frobnicate\" in "
                            "[programs.web]"));
}

TEST(ConfigErrors, ReportsUnknownKeyInSupervTable) {
    EXPECT_THAT(errors_of("[superv]\nsokcet = \"/run/x\"\n"),
                ElementsAre("/etc/superv/superv.toml:2:1: unknown key \"sokcet\" in [superv] "
                            "(did you mean \"socket\"?)"));
}

TEST(ConfigErrors, ReportsUnknownTopLevelTableAndKey) {
    EXPECT_THAT(errors_of("[program.web]\ncommand = \"x\"\n"),
                ElementsAre("/etc/superv/superv.toml:1:2: unknown table [program] (did you mean "
                            "\"programs\"?)"));
    EXPECT_THAT(errors_of("verbose = true\n"),
                ElementsAre("/etc/superv/superv.toml:1:1: unknown key \"verbose\" at top level"));
}

TEST(ConfigErrors, ReportsWrongTypeAtTheValue) {
    EXPECT_THAT(web_errors("startsecs = \"5\""),
                ElementsAre("/etc/superv/superv.toml:3:13: \"startsecs\" must be a number of "
                            "seconds, not a string"));
    EXPECT_THAT(web_errors("autostart = \"yes\""),
                ElementsAre("/etc/superv/superv.toml:3:13: \"autostart\" must be true or false, "
                            "not a string"));
    EXPECT_THAT(web_errors("numprocs = 1.5"),
                ElementsAre("/etc/superv/superv.toml:3:12: \"numprocs\" must be an integer, not a "
                            "float"));
}

TEST(ConfigErrors, ReportsNegativeDuration) {
    EXPECT_THAT(web_errors("stopwaitsecs = -1"),
                ElementsAre("/etc/superv/superv.toml:3:16: \"stopwaitsecs\" must not be negative"));
}

TEST(ConfigErrors, ReportsUnknownSignal) {
    EXPECT_THAT(web_errors("stopsignal = \"FOO\""),
                ElementsAre("/etc/superv/superv.toml:3:14: unknown signal \"FOO\" for "
                            "\"stopsignal\""));
    EXPECT_THAT(web_errors("stopsignal = 99"),
                ElementsAre("/etc/superv/superv.toml:3:14: \"stopsignal\" must be a signal number "
                            "between 1 and 64, not 99"));
}

TEST(ConfigErrors, ReportsBadSize) {
    EXPECT_THAT(web_errors("stdout_logfile_maxbytes = \"50 megs\""),
                ElementsAre("/etc/superv/superv.toml:3:27: \"stdout_logfile_maxbytes\" must be a "
                            "size like 1048576, \"50MB\" or \"1GB\", not \"50 megs\""));
    EXPECT_THAT(web_errors("stderr_logfile_maxbytes = -1"),
                ElementsAre(HasSubstr("3:27: \"stderr_logfile_maxbytes\" must not be negative")));
}

TEST(ConfigErrors, ReportsBadOctalModes) {
    EXPECT_THAT(web_errors("umask = \"9\""),
                ElementsAre("/etc/superv/superv.toml:3:9: \"umask\" must be an octal mode like "
                            "\"022\", not \"9\""));
    EXPECT_THAT(web_errors("umask = 22"),
                ElementsAre("/etc/superv/superv.toml:3:9: \"umask\" must be an octal string like "
                            "\"022\" or 0o22; 22 is decimal"));
    EXPECT_THAT(web_errors("umask = \"1777\""),
                ElementsAre(HasSubstr("3:9: \"umask\" must be at most 0777, not 01777")));
    EXPECT_THAT(errors_of("[superv]\nsocket_mode = true\n"),
                ElementsAre("/etc/superv/superv.toml:2:15: \"socket_mode\" must be an octal "
                            "string like \"022\", not a boolean"));
}

TEST(ConfigErrors, ReportsBadAutorestart) {
    EXPECT_THAT(web_errors("autorestart = \"sometimes\""),
                ElementsAre("/etc/superv/superv.toml:3:15: \"autorestart\" must be \"always\", "
                            "\"on-failure\" or \"never\", not \"sometimes\""));
}

TEST(ConfigErrors, ReportsEachExitCodeOutsideByteRange) {
    EXPECT_THAT(web_errors("exitcodes = [0, 256, -1]"),
                ElementsAre("/etc/superv/superv.toml:3:17: exit code 256 in \"exitcodes\" is "
                            "outside 0..255",
                            "/etc/superv/superv.toml:3:22: exit code -1 in \"exitcodes\" is "
                            "outside 0..255"));
    EXPECT_THAT(web_errors("exitcodes = 0"),
                ElementsAre(HasSubstr("3:13: \"exitcodes\" must be an array of exit codes")));
}

TEST(ConfigErrors, ReportsNumprocsBelowOne) {
    EXPECT_THAT(web_errors("numprocs = 0"),
                ElementsAre("/etc/superv/superv.toml:3:12: \"numprocs\" must be between 1 and "
                            "10000, not 0"));
}

TEST(ConfigErrors, ReportsEmptyCommand) {
    EXPECT_THAT(errors_of("[programs.web]\ncommand = \"  \"\n"),
                ElementsAre("/etc/superv/superv.toml:2:11: \"command\" must not be empty"));
    EXPECT_THAT(errors_of("[programs.web]\ncommand = []\n"),
                ElementsAre("/etc/superv/superv.toml:2:11: \"command\" must not be empty"));
    EXPECT_THAT(errors_of("[programs.web]\ncommand = [\"/bin/x\", 3]\n"),
                ElementsAre("/etc/superv/superv.toml:2:22: every word of \"command\" must be a "
                            "string, not an integer"));
}

TEST(ConfigErrors, ReportsUnterminatedQuoteInStringCommand) {
    EXPECT_THAT(errors_of("[programs.web]\ncommand = \"/bin/x 'a b\"\n"),
                ElementsAre("/etc/superv/superv.toml:2:11: unterminated single quote in "
                            "\"command\" (at character 8)"));
}

TEST(ConfigErrors, ReportsMissingCommandAtTheProgramTable) {
    EXPECT_THAT(errors_of("\n[programs.web]\nautostart = true\n"),
                ElementsAre("/etc/superv/superv.toml:2:1: program \"web\" has no \"command\""));
}

TEST(ConfigErrors, ReportsBadProgramNameAtItsKey) {
    EXPECT_THAT(errors_of("[programs.\"my web\"]\ncommand = \"x\"\n"),
                ElementsAre("/etc/superv/superv.toml:1:11: program name \"my web\" may contain "
                            "only letters, digits, \"_\", \".\" and \"-\""));
    EXPECT_THAT(errors_of("[programs.\"a:b\"]\ncommand = \"x\"\n"), SizeIs(1));
    EXPECT_THAT(errors_of("[programs.all]\ncommand = \"x\"\n"),
                ElementsAre("/etc/superv/superv.toml:1:11: program name \"all\" is reserved: it "
                            "selects everything"));
}

TEST(ConfigErrors, ReportsBadLogLevelWithSuggestion) {
    EXPECT_THAT(errors_of("[superv]\nlog_level = \"warning\"\n"),
                ElementsAre("/etc/superv/superv.toml:2:13: \"log_level\" must be one of trace, "
                            "debug, info, warn, error, not \"warning\" (did you mean \"warn\"?)"));
}

TEST(ConfigErrors, ReportsBadStdinWithSuggestion) {
    EXPECT_THAT(web_errors("stdin = \"pipes\""),
                ElementsAre("/etc/superv/superv.toml:3:9: \"stdin\" must be \"null\" or "
                            "\"pipe\", not \"pipes\" (did you mean \"pipe\"?)"));
    EXPECT_THAT(web_errors("stdin = true"),
                ElementsAre("/etc/superv/superv.toml:3:9: \"stdin\" must be a string, not a "
                            "boolean"));
}

TEST(ConfigErrors, ReportsBadDaemonValuesEachAtItsValue) {
    EXPECT_THAT(errors_of(R"([superv]
minfds = 0
minprocs = -3
identifier = ""
logfile_backups = -1
logfile_maxbytes = "lots"
umask = "8"
environment = { A = 1 }
pidfile = 5
user = "no-such-user-x"
)"),
                ElementsAre(HasSubstr(":2:10: \"minfds\" must be at least 1, not 0"),
                            HasSubstr(":3:12: \"minprocs\" must be at least 1, not -3"),
                            HasSubstr(":4:14: \"identifier\" must not be empty"),
                            HasSubstr(":5:19: \"logfile_backups\" must be at least 0, not -1"),
                            HasSubstr(":6:20: \"logfile_maxbytes\" must be a size"),
                            HasSubstr(":7:9: \"umask\" must be an octal mode"),
                            HasSubstr(":8:21: environment variable \"A\" must be a string"),
                            HasSubstr(":9:11: \"pidfile\" must be a string, not an integer"),
                            HasSubstr(":10:8: unknown user \"no-such-user-x\"")));
}

TEST(ConfigErrors, SuggestsNewDaemonKeys) {
    EXPECT_THAT(errors_of("[superv]\nminfd = 1024\n"),
                ElementsAre(HasSubstr(":2:1: unknown key \"minfd\" in [superv] (did you mean "
                                      "\"minfds\"?)")));
    EXPECT_THAT(errors_of("[superv]\npid_file = \"/run/x.pid\"\n"),
                ElementsAre(HasSubstr("(did you mean \"pidfile\"?)")));
}

TEST(ConfigErrors, ReportsEnvironmentValueThatIsNotAString) {
    EXPECT_THAT(web_errors("environment = { PORT = 8080 }"),
                ElementsAre("/etc/superv/superv.toml:3:24: environment variable \"PORT\" must be "
                            "a string, not an integer"));
}

TEST(ConfigErrors, ReportsTablesOfTheWrongShape) {
    EXPECT_THAT(errors_of("superv = 1\n"),
                ElementsAre("/etc/superv/superv.toml:1:10: \"superv\" must be a table, not an "
                            "integer"));
    EXPECT_THAT(errors_of("programs = 3\n"),
                ElementsAre("/etc/superv/superv.toml:1:12: \"programs\" must be a table of "
                            "[programs.NAME] tables, not an integer"));
    EXPECT_THAT(errors_of("[programs]\nweb = \"/bin/web\"\n"),
                ElementsAre("/etc/superv/superv.toml:2:7: [programs.web] must be a table, not a "
                            "string"));
}

TEST(ConfigErrors, ReportsKillAsGroupFalseNextToStopAsGroup) {
    EXPECT_THAT(web_errors("stopasgroup = true\nkillasgroup = false"),
                ElementsAre("/etc/superv/superv.toml:4:15: \"killasgroup\" = false contradicts "
                            "\"stopasgroup\" = true in [programs.web] (stopasgroup implies "
                            "killasgroup)"));
}

TEST(ConfigErrors, ReportsEveryErrorAtOnceInFileOrder) {
    auto errors = errors_of(R"([programs.web]
command = "/bin/web"
startsecs = "1"
stopsignal = "NOPE"
priorty = 3

[programs.worker]
numprocs = 0

[groups.backend]
programs = ["web", "wrker"]
)");
    EXPECT_THAT(errors,
                ElementsAre(HasSubstr(":3:13: \"startsecs\""), HasSubstr(":4:14: unknown signal"),
                            HasSubstr(":5:1: unknown key \"priorty\""),
                            HasSubstr(":7:1: program \"worker\" has no \"command\""),
                            HasSubstr(":8:12: \"numprocs\""),
                            HasSubstr(":11:20: group \"backend\" lists program \"wrker\"")));
}

TEST(ConfigErrors, ReportsNulCharactersThatExecWouldCutShort) {
    EXPECT_THAT(errors_of("[programs.web]\ncommand = [\"/bin/x\", \"a\\u0000b\"]\n"),
                ElementsAre("/etc/superv/superv.toml:2:22: \"command\" must not contain a NUL "
                            "character"));
    EXPECT_THAT(web_errors("environment = { A = \"x\\u0000\" }"),
                ElementsAre(HasSubstr("3:21: \"environment\" must not contain a NUL character")));
    EXPECT_THAT(web_errors("directory = \"/srv\\u0000x\""),
                ElementsAre(HasSubstr("3:13: \"directory\" must not contain a NUL character")));
}

TEST(ConfigErrors, ReportsUnreadableFileWithReason) {
    LoadResult result = load_file("/nonexistent/superv.toml");
    ASSERT_FALSE(result.ok());
    ASSERT_THAT(result.errors(), SizeIs(1));
    EXPECT_EQ(result.errors()[0].to_string(),
              "/nonexistent/superv.toml: cannot read config: No such file or directory");
    LoadResult directory = load_file("/");
    ASSERT_FALSE(directory.ok());
    EXPECT_EQ(directory.errors()[0].to_string(), "/: cannot read config: Is a directory");
}

}  // namespace
}  // namespace superv::config

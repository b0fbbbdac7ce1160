// [program:x] of supervisord.conf: every option superv has a meaning for,
// with supervisord 4.2.5's defaults and parsing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include "ini_helpers.hpp"

namespace superv::config {
namespace {

using test_support::ini_errors;
using test_support::ini_ok;
using test_support::ini_program;
using test_support::ini_warnings;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr std::uint64_t kMB = 1024 * 1024;

LogSpec file_log(const std::string& path, std::uint64_t max_bytes = 50 * kMB, int backups = 10) {
    return LogSpec{LogTarget{LogTarget::Kind::File, path}, max_bytes, backups};
}

LogTarget target(LogTarget::Kind kind, std::string path = "") {
    return LogTarget{kind, std::move(path)};
}

// tempfile.gettempdir(), the default childlogdir.
std::string temp_dir() {
    for (const char* variable : {"TMPDIR", "TEMP", "TMP"}) {
        const char* value = std::getenv(variable);
        if (value && *value && ::access(value, F_OK) == 0) return value;
    }
    return "/tmp";
}

TEST(SupervisordProgram, DefaultsAreSupervisords) {
    Config config = ini_ok("[supervisord]\n[program:web]\ncommand = /bin/true\n");
    EXPECT_THAT(config.warnings, IsEmpty());
    ASSERT_EQ(config.programs.size(), 1u);
    const ProgramConfig& p = config.programs[0];
    EXPECT_EQ(p.name, "web");
    EXPECT_THAT(p.command, ElementsAre("/bin/true"));
    EXPECT_EQ(p.directory, "");
    EXPECT_THAT(p.environment, IsEmpty());
    EXPECT_EQ(p.user, "");
    EXPECT_EQ(p.umask, std::nullopt);
    EXPECT_TRUE(p.autostart);
    EXPECT_EQ(p.autorestart, AutoRestart::OnFailure);
    EXPECT_THAT(p.exitcodes, ElementsAre(0));
    EXPECT_EQ(p.startsecs, Millis{1000});
    EXPECT_EQ(p.startretries, 3);
    EXPECT_EQ(p.stopsignal, SIGTERM);
    EXPECT_EQ(p.stopwaitsecs, Millis{10000});
    EXPECT_FALSE(p.stopasgroup);
    EXPECT_FALSE(p.killasgroup);
    EXPECT_EQ(p.numprocs, 1);
    EXPECT_EQ(p.priority, 999);
    EXPECT_FALSE(p.redirect_stderr);
    EXPECT_EQ(p.stdout_log, file_log(temp_dir() + "/web-stdout---supervisor.log"));
    EXPECT_EQ(p.stderr_log, file_log(temp_dir() + "/web-stderr---supervisor.log"));
    EXPECT_TRUE(p.stdin_pipe);  // supervisord gives every child a stdin pipe
    EXPECT_EQ(p.serverurl, "");
    EXPECT_EQ(p.pos.to_string(), "/etc/supervisord.conf:2:1");
    EXPECT_THAT(config.groups, IsEmpty());  // process web is group web's only member
    EXPECT_EQ(config.format, ConfigFormat::Supervisord);
}

TEST(SupervisordProgram, ReadsEveryOption) {
    const ProgramConfig p = ini_program(
        "directory = /srv\n"
        "umask = 027\n"
        "priority = -5\n"
        "autostart = false\n"
        "autorestart = true\n"
        "startsecs = 0\n"
        "startretries = 7\n"
        "exitcodes = 0,2\n"
        "stopsignal = int\n"
        "stopwaitsecs = 3\n"
        "stopasgroup = true\n"
        "user = root\n"
        "redirect_stderr = yes\n"
        "stdout_logfile = /tmp/out.log\n"
        "stdout_logfile_maxbytes = 1KB\n"
        "stdout_logfile_backups = 0\n"
        "environment = A=\"1\",B=two\n"
        "serverurl = http://127.0.0.1:9001\n");
    EXPECT_EQ(p.directory, "/srv");
    EXPECT_EQ(p.umask, 027u);
    EXPECT_EQ(p.priority, -5);
    EXPECT_FALSE(p.autostart);
    EXPECT_EQ(p.autorestart, AutoRestart::Always);
    EXPECT_EQ(p.startsecs, Millis{0});
    EXPECT_EQ(p.startretries, 7);
    EXPECT_THAT(p.exitcodes, ElementsAre(0, 2));
    EXPECT_EQ(p.stopsignal, SIGINT);
    EXPECT_EQ(p.stopwaitsecs, Millis{3000});
    EXPECT_TRUE(p.stopasgroup);
    EXPECT_TRUE(p.killasgroup);  // implied
    EXPECT_EQ(p.user, "root");
    EXPECT_TRUE(p.redirect_stderr);
    EXPECT_EQ(p.stdout_log, file_log("/tmp/out.log", 1024, 0));
    EXPECT_EQ(p.stderr_log.target, target(LogTarget::Kind::None));  // redirected
    EXPECT_THAT(p.environment, UnorderedElementsAre(Pair("A", "1"), Pair("B", "two")));
    EXPECT_EQ(p.serverurl, "http://127.0.0.1:9001");
}

TEST(SupervisordProgram, BooleansTakeEverySpelling) {
    EXPECT_FALSE(ini_program("autostart = Off\n").autostart);
    EXPECT_FALSE(ini_program("autostart = NO\n").autostart);
    EXPECT_FALSE(ini_program("autostart = 0\n").autostart);
    EXPECT_TRUE(ini_program("autostart = on\n").autostart);
    EXPECT_EQ(ini_program("autorestart = unexpected\n").autorestart, AutoRestart::OnFailure);
    EXPECT_EQ(ini_program("autorestart = false\n").autorestart, AutoRestart::Never);
}

TEST(SupervisordProgram, BadValuesAreErrorsAtTheValue) {
    EXPECT_THAT(
        ini_errors("[program:p]\ncommand = /bin/true\nstartsecs = 1.5\nautostart = maybe\n"
                   "autorestart = always\nstopsignal = NOPE\nexitcodes = 0,300\n"
                   "stdout_logfile_maxbytes = 5B\nnumprocs = 0\numask = 8\n"),
        ElementsAre(
            "/etc/supervisord.conf:3:13: \"startsecs\" must be an integer, not \"1.5\"",
            "/etc/supervisord.conf:4:13: \"autostart\" must be true or false (or yes/no, "
            "on/off, 1/0), not \"maybe\"",
            "/etc/supervisord.conf:5:15: \"autorestart\" must be true, false or unexpected, not "
            "\"always\"",
            "/etc/supervisord.conf:6:14: \"stopsignal\" must be a signal name like TERM or a "
            "number, not \"NOPE\"",
            "/etc/supervisord.conf:7:13: \"exitcodes\" must be a list of exit codes 0..255 like "
            "0,2, not \"0,300\"",
            "/etc/supervisord.conf:8:27: \"stdout_logfile_maxbytes\" must be a size like 1024, "
            "10KB or 50MB, not \"5B\"",
            "/etc/supervisord.conf:9:12: \"numprocs\" must be between 1 and 10000, not 0",
            "/etc/supervisord.conf:10:9: \"umask\" must be an octal mode like 022, not \"8\""));
}

TEST(SupervisordProgram, KillasgroupFalseContradictsStopasgroup) {
    EXPECT_THAT(ini_errors("[program:p]\ncommand = x\nstopasgroup = true\nkillasgroup = false\n"),
                ElementsAre(HasSubstr(":4:15: \"killasgroup\" = false contradicts")));
    EXPECT_TRUE(ini_program("killasgroup = true\n").killasgroup);
}

TEST(SupervisordProgram, AnEmptyExitcodesListExpectsNoCode) {
    EXPECT_THAT(ini_program("exitcodes =\n").exitcodes, IsEmpty());
}

TEST(SupervisordProgram, CommandIsSplitAsShlexSplitDoes) {
    EXPECT_THAT(ini_program("command = /bin/sh -c \"echo \\$HOME 'x'\" a\\ b\n").command,
                ElementsAre("/bin/sh", "-c", "echo \\$HOME 'x'", "a b"));
    EXPECT_THAT(ini_program("command = /bin/echo\n  continued\n").command,
                ElementsAre("/bin/echo", "continued"));
    EXPECT_THAT(ini_errors("[program:p]\ncommand = /bin/sh -c \"oops\n"),
                ElementsAre("/etc/supervisord.conf:2:11: \"command\": unterminated double quote "
                            "(at character 12 of \"/bin/sh -c \\\"oops\")"));
}

TEST(SupervisordProgram, AProgramWithoutCommandIsAnError) {
    EXPECT_THAT(ini_errors("[supervisord]\n[program:p]\nautostart = true\n"),
                ElementsAre("/etc/supervisord.conf:2:1: [program:p] has no \"command\""));
}

TEST(SupervisordProgram, TheProgramsOwnEnvironmentExpandsInItsCommand) {
    const ProgramConfig p =
        ini_program("environment = PORT=\"80%(process_num)d\"\ncommand = /bin/srv %(ENV_PORT)s\n");
    EXPECT_THAT(p.command, ElementsAre("/bin/srv", "800"));
    EXPECT_THAT(p.environment, ElementsAre(Pair("PORT", "800")));
}

TEST(SupervisordProgram, ABadEnvironmentIsAnError) {
    EXPECT_THAT(ini_errors("[program:p]\ncommand = x\nenvironment = A=1 B=2\n"),
                ElementsAre(HasSubstr(":3:15: \"environment\" of [program:p]: cannot read")));
}

TEST(SupervisordProgram, UserMustExistAndBeSwitchableTo) {
    EXPECT_THAT(ini_errors("[program:p]\ncommand = x\nuser = no_such_user_here\n"),
                ElementsAre("/etc/supervisord.conf:3:8: unknown user \"no_such_user_here\""));
    EXPECT_EQ(ini_program("user = 0\n").user, "root");
    detail::Identity nobody{65534, 65534};
    EXPECT_THAT(ini_errors("[program:p]\ncommand = x\nuser = root\n", nobody),
                ElementsAre(HasSubstr("superv runs as uid 65534 and cannot switch to user "
                                      "\"root\" (uid 0)")));
}

TEST(SupervisordProgram, RelativePathsAreTakenFromTheFilesDirectory) {
    const ProgramConfig p = ini_program("directory = srv\nstdout_logfile = out.log\n");
    EXPECT_EQ(p.directory, "/etc/srv");
    EXPECT_EQ(p.stdout_log.target, target(LogTarget::Kind::File, "/etc/out.log"));
    EXPECT_EQ(ini_program("directory = %(here)s/x\n").directory, "/etc/x");
}

TEST(SupervisordProgram, LogFileKeywords) {
    EXPECT_EQ(ini_program("stdout_logfile = NONE\n").stdout_log.target,
              target(LogTarget::Kind::None));
    EXPECT_EQ(ini_program("stderr_logfile = off\n").stderr_log.target,
              target(LogTarget::Kind::None));
    EXPECT_EQ(ini_program("[supervisord]\nchildlogdir = /tmp\nidentifier = box\n").stdout_log,
              file_log("/tmp/p-stdout---box.log"));
}

TEST(SupervisordProgram, DevStdoutAndDevStderrAreSupervsOwn) {
    const ProgramConfig p = ini_program(
        "stdout_logfile = /dev/stdout\nstdout_logfile_maxbytes = 0\n"
        "stderr_logfile = /dev/stderr\nstderr_logfile_maxbytes = 0\n");
    EXPECT_EQ(p.stdout_log.target, target(LogTarget::Kind::Inherit));
    EXPECT_EQ(p.stderr_log.target, target(LogTarget::Kind::Inherit));
}

TEST(SupervisordProgram, ADeviceLogWithRotationIsAWarningAndIsNotRotated) {
    const std::string text =
        "[supervisord]\n[program:p]\ncommand = x\n"
        "stdout_logfile = /dev/stdout\nstderr_logfile = /dev/stdout\n";
    EXPECT_THAT(ini_warnings(text),
                ElementsAre("/etc/supervisord.conf:4:1: \"stdout_logfile\" = /dev/stdout cannot "
                            "be rotated: set stdout_logfile_maxbytes = 0 (supervisord fails at "
                            "the first rotation); superv does not rotate it",
                            HasSubstr(":5:1: \"stderr_logfile\" = /dev/stdout cannot be rotated")));
    const ProgramConfig p = ini_ok(text).programs.at(0);
    EXPECT_EQ(p.stderr_log, file_log("/dev/stdout", 0));
}

TEST(SupervisordProgram, ALogFileInAMissingDirectoryIsAnError) {
    EXPECT_THAT(ini_errors("[program:p]\ncommand = x\nstdout_logfile = /no/such/dir/x.log\n"),
                ElementsAre("/etc/supervisord.conf:3:18: \"stdout_logfile\": the directory of "
                            "\"/no/such/dir/x.log\" does not exist"));
}

TEST(SupervisordProgram, LogFilesAreExpandedTwiceAsInSupervisord) {
    EXPECT_EQ(ini_program("stdout_logfile = /tmp/a%%%%b.log\n").stdout_log.target,
              target(LogTarget::Kind::File, "/tmp/a%b.log"));
    EXPECT_THAT(ini_errors("[program:p]\ncommand = x\nstdout_logfile = /tmp/a%%b.log\n"),
                ElementsAre(HasSubstr(":3:24: \"stdout_logfile\" of [program:p]: \"%b\" has no "
                                      "name")));
}

TEST(SupervisordProgram, WarnsAboutWhatSupervCannotHonour) {
    EXPECT_THAT(
        ini_warnings("[supervisord]\n[program:p]\ncommand = x\nredirect_stderr = true\n"
                     "stderr_logfile = /tmp/err.log\nstdout_capture_maxbytes = 1MB\n"
                     "stderr_events_enabled = true\nstdout_syslog = true\n"
                     "stdout_logfile_maxbytes = 0\nstderr_capture_maxbytes = 0\n"),
        ElementsAre(HasSubstr(":2:1: \"stdout_logfile\" of [program:p] is AUTO without rotation"),
                    HasSubstr(":5:1: \"stderr_logfile\" is ignored: redirect_stderr = true"),
                    HasSubstr(":6:1: \"stdout_capture_maxbytes\" is ignored"),
                    HasSubstr(":7:1: \"stderr_events_enabled\" is ignored"),
                    HasSubstr(":8:1: \"stdout_syslog\" is ignored")));
}

TEST(SupervisordProgram, SyslogAsALogFileIsDiscardedWithAWarning) {
    const std::string text = "[supervisord]\n[program:p]\ncommand = x\nstdout_logfile = syslog\n";
    EXPECT_THAT(ini_warnings(text), ElementsAre(HasSubstr(":4:1: \"stdout_logfile\" = syslog")));
    EXPECT_EQ(ini_ok(text).programs.at(0).stdout_log.target, target(LogTarget::Kind::None));
}

TEST(SupervisordProgram, UnknownOptionsAreWarningsWithASuggestion) {
    EXPECT_THAT(ini_warnings("[supervisord]\n[program:p]\ncommand = x\nstopwaitsec = 3\n"),
                ElementsAre("/etc/supervisord.conf:4:1: unknown option \"stopwaitsec\" in "
                            "[program:p] (did you mean \"stopwaitsecs\"?); ignored, as "
                            "supervisord ignores it"));
}

TEST(SupervisordProgram, ServerurlAutoLeavesItToTheHttpListeners) {
    EXPECT_EQ(ini_program("serverurl = AUTO\n").serverurl, "");
}

TEST(SupervisordProgram, ExpansionsOfTheSection) {
    ::setenv("SUPERV_TEST_VALUE", "from-env", 1);
    const ProgramConfig p = ini_program(
        "command = /bin/%(program_name)s %(group_name)s %(host_node_name)s "
        "%(numprocs)d %(ENV_SUPERV_TEST_VALUE)s\n");
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    EXPECT_THAT(p.command, ElementsAre("/bin/p", "p", host, "1", "from-env"));
}

TEST(SupervisordProgram, ProcessNumIsKnownOnlyWhereSupervisordKnowsIt) {
    EXPECT_THAT(ini_errors("[program:p]\ncommand = x\npriority = %(process_num)d\n"),
                ElementsAre(HasSubstr(":3:12: \"priority\" of [program:p]: \"%(process_num)d\": "
                                      "unknown name \"process_num\"")));
}

}  // namespace
}  // namespace superv::config

// [supervisord], [superv], the HTTP servers and the sections superv turns
// into no config.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ini_helpers.hpp"
#include "superv/config/processes.hpp"

namespace superv::config {
namespace {

using test_support::ini_errors;
using test_support::ini_ok;
using test_support::ini_warnings;
using test_support::strings_of;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(SupervisordDaemon, DefaultsAreSupervisordsWhereSupervHasTheSetting) {
    Config config = ini_ok("[supervisord]\n");
    const DaemonConfig& d = config.daemon;
    EXPECT_EQ(d.umask, 022u);
    EXPECT_EQ(d.minfds, 1024);
    EXPECT_EQ(d.minprocs, 200);
    EXPECT_EQ(d.identifier, "supervisor");
    EXPECT_EQ(d.log_level, "info");
    // supervisord writes supervisord.log and .pid in its working directory;
    // superv logs to stderr and writes no pid file unless told to.
    EXPECT_EQ(d.logfile.target.kind, LogTarget::Kind::None);
    EXPECT_EQ(d.pidfile, "");
    EXPECT_THAT(d.http, IsEmpty());
    EXPECT_EQ(d.socket, "");
    EXPECT_THAT(config.warnings, IsEmpty());
}

TEST(SupervisordDaemon, ReadsEveryKey) {
    Config config = ini_ok(
        "[supervisord]\n"
        "logfile = /tmp/sv.log\nlogfile_maxbytes = 1MB\nlogfile_backups = 2\n"
        "loglevel = debug\npidfile = /tmp/sv.pid\numask = 077\nminfds = 4096\n"
        "minprocs = 50\nuser = root\ndirectory = /tmp\nidentifier = box\n"
        "childlogdir = /tmp\nnodaemon = true\nsilent = false\nnocleanup = true\n"
        "strip_ansi = false\nenvironment = TZ=\"UTC\",LANG=C\n");
    const DaemonConfig& d = config.daemon;
    EXPECT_EQ(d.logfile, (LogSpec{LogTarget{LogTarget::Kind::File, "/tmp/sv.log"}, 1 << 20, 2}));
    EXPECT_EQ(d.log_level, "debug");
    EXPECT_EQ(d.pidfile, "/tmp/sv.pid");
    EXPECT_EQ(d.umask, 077u);
    EXPECT_EQ(d.minfds, 4096);
    EXPECT_EQ(d.minprocs, 50);
    EXPECT_EQ(d.user, "root");
    EXPECT_EQ(d.directory, "/tmp");
    EXPECT_EQ(d.identifier, "box");
    EXPECT_THAT(d.environment, ElementsAre(Pair("LANG", "C"), Pair("TZ", "UTC")));
    EXPECT_THAT(config.warnings, IsEmpty());
}

TEST(SupervisordDaemon, LogLevelsMapOntoSupervs) {
    auto level = [](const std::string& name) {
        return ini_ok("[supervisord]\nloglevel = " + name + "\n").daemon.log_level;
    };
    EXPECT_EQ(level("critical"), "error");
    EXPECT_EQ(level("error"), "error");
    EXPECT_EQ(level("WARN"), "warn");
    EXPECT_EQ(level("info"), "info");
    EXPECT_EQ(level("trace"), "trace");
    EXPECT_EQ(level("blather"), "trace");
    EXPECT_THAT(ini_errors("[supervisord]\nloglevel = warning\n"),
                ElementsAre(HasSubstr(":2:12: \"loglevel\" must be one of critical, error, warn")));
}

TEST(SupervisordDaemon, TheDaemonEnvironmentReachesProgramsAndTheirExpansions) {
    Config config = ini_ok(
        "[supervisord]\nenvironment = ROOT=/srv,SHARED=daemon\n"
        "[program:a]\ncommand = %(ENV_ROOT)s/bin/a\nenvironment = SHARED=own\n");
    EXPECT_THAT(config.programs.at(0).command, ElementsAre("/srv/bin/a"));
    const ProcessSpec process = expand_processes(config).at(0);
    EXPECT_THAT(process.program->environment,
                ElementsAre(Pair("ROOT", "/srv"), Pair("SHARED", "own")));
}

TEST(SupervisordDaemon, TheDaemonEnvironmentIsExpandedTwiceAsInSupervisord) {
    EXPECT_THAT(ini_ok("[supervisord]\nenvironment = A=\"50%%%%\"\n").daemon.environment,
                ElementsAre(Pair("A", "50%")));
}

TEST(SupervisordDaemon, PathsMustBeInExistingDirectories) {
    EXPECT_THAT(ini_errors("[supervisord]\nlogfile = /no/such/dir/sv.log\ndirectory = /no/dir\n"
                           "childlogdir = /no/dir\n"),
                ElementsAre("/etc/supervisord.conf:2:11: \"logfile\": the directory of "
                            "\"/no/such/dir/sv.log\" does not exist",
                            "/etc/supervisord.conf:3:13: \"directory\": \"/no/dir\" is not an "
                            "existing directory",
                            "/etc/supervisord.conf:4:15: \"childlogdir\": \"/no/dir\" is not an "
                            "existing directory"));
}

TEST(SupervisordDaemon, WarnsAboutSettingsSupervCannotHonour) {
    EXPECT_THAT(ini_warnings("[supervisord]\nnodaemon = false\nsilent = true\nnocleanup = false\n"
                             "strip_ansi = true\nlogfile = /dev/stdout\nlogfile_maxbytes = 0\n"
                             "loglevle = info\n"),
                ElementsAre(HasSubstr(":2:1: \"nodaemon\" = false is ignored: superv always runs "
                                      "in the foreground"),
                            HasSubstr(":3:1: \"silent\" = true is ignored"),
                            HasSubstr(":4:1: \"nocleanup\" = false is ignored"),
                            HasSubstr(":5:1: \"strip_ansi\" = true is ignored"),
                            HasSubstr(":6:1: logfile = /dev/stdout: superv's own log always goes "
                                      "to its stderr"),
                            "/etc/supervisord.conf:8:1: unknown option \"loglevle\" in "
                            "[supervisord] (did you mean \"loglevel\"?); ignored, as supervisord "
                            "ignores it"));
}

TEST(SupervisordDaemon, AFileWithoutSupervisordSectionLoadsWithAWarning) {
    EXPECT_THAT(ini_warnings("[program:a]\ncommand = x\n"),
                ElementsAre("/etc/supervisord.conf: no [supervisord] section; supervisord "
                            "refuses such a file, superv uses the defaults"));
}

TEST(SupervisordDaemon, SupervSectionSetsTheControlSocket) {
    Config config = ini_ok(
        "[superv]\nsocket = run/superv.sock\nsocket_mode = 0660\nsocket_group = root\n"
        "shutdown_timeout = 2.5\n[supervisord]\n");
    EXPECT_EQ(config.daemon.socket, "/etc/run/superv.sock");
    EXPECT_EQ(config.daemon.socket_mode, 0660u);
    EXPECT_EQ(config.daemon.socket_group, "root");
    EXPECT_EQ(config.daemon.shutdown_timeout, Millis{2500});
    EXPECT_THAT(ini_errors("[superv]\nlog_level = info\n[supervisord]\n"),
                ElementsAre("/etc/supervisord.conf:2:1: unknown option \"log_level\" in "
                            "[superv]"));
}

TEST(SupervisordDaemon, UnixHttpServer) {
    Config config = ini_ok(
        "[supervisord]\n[unix_http_server]\nfile = %(here)s/../tmp/./sv.sock\nchmod = 0770\n"
        "chown = root:root\nusername = admin\npassword = {SHA}abc\n");
    ASSERT_EQ(config.daemon.http.size(), 1u);
    const HttpListener& l = config.daemon.http[0];
    EXPECT_EQ(l.kind, HttpListener::Kind::Unix);
    EXPECT_EQ(l.path, "/tmp/sv.sock");
    EXPECT_EQ(l.mode, 0770u);
    EXPECT_EQ(l.owner, "root");
    EXPECT_EQ(l.group, "root");
    EXPECT_EQ(l.username, "admin");
    EXPECT_EQ(l.password, "{SHA}abc");
    EXPECT_EQ(ini_ok("[unix_http_server]\nfile = /tmp/a.sock\n").daemon.http.at(0).mode, 0700u);
}

TEST(SupervisordDaemon, InetHttpServer) {
    auto listener = [](const std::string& port) {
        return ini_ok("[inet_http_server]\nport = " + port + "\n").daemon.http.at(0);
    };
    EXPECT_EQ(listener("127.0.0.1:9001").host, "127.0.0.1");
    EXPECT_EQ(listener("127.0.0.1:9001").port, 9001);
    EXPECT_EQ(listener("*:9001").host, "");
    EXPECT_EQ(listener("9002").port, 9002);
    EXPECT_EQ(listener("9002").kind, HttpListener::Kind::Tcp);
}

TEST(SupervisordDaemon, ServerErrors) {
    EXPECT_THAT(ini_errors("[unix_http_server]\nchmod = 9\n[inet_http_server]\nport = x:\n"
                           "username = u\n[inet_http_server:two]\n"),
                ElementsAre("/etc/supervisord.conf:1:1: [unix_http_server] has no \"file\"",
                            "/etc/supervisord.conf:2:9: \"chmod\" must be an octal mode like "
                            "0700, not \"9\"",
                            "/etc/supervisord.conf:3:1: [inet_http_server] sets a username but "
                            "no password; supervisord needs both or neither",
                            "/etc/supervisord.conf:4:8: \"port\" of [inet_http_server]: no port "
                            "number after the \":\"",
                            "/etc/supervisord.conf:6:1: [inet_http_server:two] has no \"port\""));
}

TEST(SupervisordDaemon, ProgramsTalkToTheUnixServerFirst) {
    Config config = ini_ok(
        "[inet_http_server]\nport = 9001\n[unix_http_server]\n"
        "file = /tmp/sv.sock\n[program:a]\ncommand = x\n");
    EXPECT_EQ(config.daemon.http.at(0).kind, HttpListener::Kind::Unix);
    EXPECT_EQ(expand_processes(config).at(0).program->serverurl, "unix:///tmp/sv.sock");
}

TEST(SupervisordDaemon, SectionsSupervDoesNotRun) {
    const std::string base = "[supervisord]\n";
    EXPECT_THAT(ini_warnings(base + "[supervisorctl]\nserverurl = unix:///tmp/x\n"
                                    "[rpcinterface:supervisor]\n"
                                    "supervisor.rpcinterface_factory = "
                                    "supervisor.rpcinterface:make_main_rpcinterface\n"),
                IsEmpty());
    EXPECT_THAT(
        ini_warnings(base + "[rpcinterface:twiddler]\nsupervisor.rpcinterface_factory = "
                            "supervisor_twiddler.rpcinterface:make_twiddler_rpcinterface\n"
                            "[ctlplugin:x]\n[programs:a]\n[ program:b ]\n"),
        ElementsAre(HasSubstr(":2:1: [rpcinterface:twiddler] "
                              "(supervisor_twiddler.rpcinterface:make_twiddler_rpcinterface) is "
                              "ignored: superv serves the supervisor.* and system.* XML-RPC "
                              "interfaces only"),
                    HasSubstr(":4:1: [ctlplugin:x] is ignored"),
                    "/etc/supervisord.conf:5:1: unknown section [programs:a] (did you mean "
                    "[program:a]?); ignored, as supervisord ignores it",
                    "/etc/supervisord.conf:6:1: unknown section [ program:b ] (did you mean "
                    "[program:b]? spaces are part of a section's name); ignored, as supervisord "
                    "ignores it"));
    EXPECT_THAT(ini_errors(base + "[eventlistener:x]\ncommand = y\n[fcgi-program:z]\n"
                                  "[rpcinterface:q]\n"),
                ElementsAre(HasSubstr(":2:1: [eventlistener:x]: superv cannot run event "
                                      "listeners"),
                            HasSubstr(":4:1: [fcgi-program:z]: superv cannot run FastCGI"),
                            HasSubstr(":5:1: [rpcinterface:q] has no "
                                      "\"supervisor.rpcinterface_factory\"")));
}

TEST(SupervisordDaemon, DefaultOptionsApplyToEverySectionThatReadsThem) {
    Config config = ini_ok(
        "[DEFAULT]\nstartsecs = 0\nbogus = 1\n[supervisord]\n"
        "[program:a]\ncommand = x\n[program:b]\ncommand = x\nstartsecs = 5\n");
    EXPECT_EQ(config.programs.at(0).startsecs, Millis{0});
    EXPECT_EQ(config.programs.at(1).startsecs, Millis{5000});
    EXPECT_THAT(strings_of(config.warnings),
                ElementsAre("/etc/supervisord.conf:3:1: [DEFAULT] \"bogus\" is an option of no "
                            "section here; ignored, as supervisord ignores it"));
}

TEST(SupervisordDaemon, EveryErrorIsReportedAndNothingLoads) {
    LoadResult result = test_support::load_ini_text(
        "[supervisord]\nminfds = lots\n[program:a]\nstartsecs = x\n[program:b]\ncommand = y\n"
        "autostart = perhaps\n");
    ASSERT_FALSE(result.ok());
    EXPECT_THAT(strings_of(result.errors()),
                ElementsAre(HasSubstr(":2:10: \"minfds\" must be an integer"),
                            HasSubstr(":3:1: [program:a] has no \"command\""),
                            HasSubstr(":4:13: \"startsecs\" must be an integer"),
                            HasSubstr(":7:13: \"autostart\" must be true or false")));
}

}  // namespace
}  // namespace superv::config

// to_toml: a config written back loads to the same programs, groups, daemon
// options and processes, and reads like a hand-written one.
#include "superv/config/toml_writer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "load_helpers.hpp"
#include "round_trip.hpp"

namespace superv::config {
namespace {

using test_support::expect_round_trip;
using test_support::expect_same_processes;
using test_support::load_ok;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(TomlWriter, WritesOnlyWhatDiffersFromTheDefaults) {
    EXPECT_EQ(to_toml(load_ok("[programs.web]\ncommand = \"/bin/web --port 80\"\n")),
              "[programs.web]\ncommand = [\"/bin/web\", \"--port\", \"80\"]\n");
    EXPECT_EQ(to_toml(load_ok("")), "");
}

TEST(TomlWriter, RoundTripsEveryProgramKey) {
    expect_round_trip(R"([programs.p]
command = ["/usr/bin/env", "a b", "quote\"back\\slash", "tab\tnewline\n", "ünïcode"]
directory = "srv"
environment = { PORT = "8080", "A B" = "x=y", "a.b" = "" }
user = "daemon"
group = "daemon"
umask = "027"
stdin = "pipe"
serverurl = "http://127.0.0.1:9001"
autostart = false
autorestart = "always"
exitcodes = [0, 2, 255]
startsecs = 0.001
startretries = 0
stopsignal = "INT"
stopwaitsecs = 2.5
stopasgroup = true
numprocs = 3
priority = -5
critical = true
stdout_logfile = "log/p.out"
stdout_logfile_maxbytes = 1000
stdout_logfile_backups = 0
stderr_logfile = "none"
stderr_logfile_maxbytes = "3GB"
stderr_logfile_backups = 2
redirect_stderr = true
capabilities = ["CAP_NET_BIND_SERVICE", "CAP_CHOWN"]
no_new_privs = true
rlimits = { nofile = 65536, core = "unlimited", memlock = "64MB", stack = 1000, nproc = { soft = 512, hard = 1024 } }
clear_environment = true
)");
}

TEST(TomlWriter, RoundTripsTheOtherSpellings) {
    expect_round_trip(R"([programs.a]
command = "/bin/a"
killasgroup = true
autorestart = "never"
stopsignal = 34
capabilities = []
stdout_logfile = "inherit"
stdout_logfile_maxbytes = 0
umask = "0"
[programs."my.app-2"]
command = ["my app"]
autorestart = "on-failure"
startsecs = 1.5
)");
}

TEST(TomlWriter, RoundTripsEveryDaemonKeyAndHttp) {
    expect_round_trip(R"([superv]
socket = "run/superv.sock"
socket_mode = "0660"
socket_group = "root"
log_level = "debug"
shutdown_timeout = 12.25
identifier = "box \"1\""
logfile = "log/superv.log"
logfile_maxbytes = "1KB"
logfile_backups = 0
pidfile = "/run/superv.pid"
user = "root"
directory = "/srv"
umask = "022"
environment = { TZ = "UTC", LANG = "C.UTF-8" }
minfds = 4096
minprocs = 200
[superv.http]
listen = ["127.0.0.1:9001", "[::1]:9001", "*:9002", "localhost:9003", "/run/h.sock", "rel/h.sock"]
username = "admin"
password = "{SHA}e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"
[programs.a]
command = "/bin/a"
)");
    expect_round_trip("[superv.http]\nlisten = [\":9001\"]\n");
    expect_round_trip("[superv]\nlogfile_maxbytes = 0\nlogfile_backups = 3\n");
}

TEST(TomlWriter, KeepsProgramsInFileOrderAndGroupsWithPriority) {
    Config config = expect_round_trip(R"([programs.zeta]
command = "z"
[programs.alpha]
command = "a"
[programs.mid]
command = "m"
numprocs = 2
[groups.zz]
programs = ["mid", "zeta"]
priority = 7
[groups.aa]
programs = ["alpha"]
)");
    ASSERT_EQ(config.programs.size(), 3u);
    EXPECT_EQ(config.programs[0].name, "zeta");
    EXPECT_EQ(config.programs[2].name, "mid");
    ASSERT_EQ(config.groups.size(), 2u);
    EXPECT_EQ(config.groups[0].name, "zz");
}

TEST(TomlWriter, WritesWhatTheConfigHoldsOfTheEnvironment) {
    const std::string text = to_toml(load_ok(R"([superv]
environment = { A = "1", B = "2" }
[programs.p]
command = "p"
environment = { A = "own" }
)"));
    EXPECT_THAT(text, HasSubstr("[superv]\nenvironment = { A = \"1\", B = \"2\" }\n"));
    EXPECT_THAT(text, HasSubstr("environment = { A = \"own\" }\n"));
}

TEST(TomlWriter, WritesAProgramThatIsItsOwnGroupPlainly) {
    const Config config = load_ok(R"([programs.web]
command = "w"
[groups.web]
programs = ["web"]
)");
    const std::string text = to_toml(config);
    EXPECT_THAT(text, Not(HasSubstr("[groups")));
    expect_same_processes(config, load_ok(text), text);
    // With a priority the group says something of its own.
    EXPECT_THAT(to_toml(load_ok("[programs.web]\ncommand = \"w\"\n[groups.web]\nprograms = "
                                "[\"web\"]\npriority = 3\n")),
                HasSubstr("[groups.web]\nprograms = [\"web\"]\npriority = 3\n"));
}

// What an INI [program:web] with numprocs = 3 becomes: three programs in
// group web. The TOML spelling is one program with numprocs.
const std::string kExpanded = R"([programs.web_00]
command = "w"
stopwaitsecs = 3
[programs.web_01]
command = "w"
stopwaitsecs = 3
[programs.web_02]
command = "w"
stopwaitsecs = 3
)";

TEST(TomlWriter, FoldsNumberedProgramsOfAGroupIntoNumprocs) {
    const Config config = load_ok(kExpanded +
                                  "[groups.web]\nprograms = [\"web_00\", \"web_01\", "
                                  "\"web_02\"]\n");
    const std::string text = to_toml(config);
    EXPECT_EQ(text, "[programs.web]\ncommand = [\"w\"]\nstopwaitsecs = 3\nnumprocs = 3\n");
    expect_same_processes(config, load_ok(text), text);
}

TEST(TomlWriter, FoldedProgramStaysInItsNamedGroup) {
    const Config config = load_ok("[programs.first]\ncommand = \"f\"\n" + kExpanded +
                                  "[groups.backend]\npriority = 4\nprograms = [\"web_02\", "
                                  "\"web_00\", \"web_01\"]\n");
    const std::string text = to_toml(config);
    EXPECT_THAT(text, HasSubstr("numprocs = 3\n"));
    EXPECT_THAT(text, HasSubstr("[groups.backend]\nprograms = [\"web\"]\npriority = 4\n"));
    expect_same_processes(config, load_ok(text), text);
}

TEST(TomlWriter, DoesNotFoldWhatNumprocsWouldNameOrRunDifferently) {
    auto folds = [](const std::string& toml) {
        const Config config = load_ok(toml);
        const std::string text = to_toml(config);
        expect_same_processes(config, load_ok(text), text);
        return text.find("numprocs") != std::string::npos;
    };
    const std::string group = "[groups.web]\nprograms = [\"web_00\", \"web_01\", \"web_02\"]\n";
    EXPECT_TRUE(folds(kExpanded + group));
    // Options differ.
    EXPECT_FALSE(
        folds(kExpanded + "[programs.web_03]\ncommand = \"other\"\n" +
              "[groups.web]\nprograms = [\"web_00\", \"web_01\", \"web_02\", \"web_03\"]\n"));
    // Names numprocs would not give: one digit, or three for ten processes.
    EXPECT_FALSE(
        folds("[programs.w_0]\ncommand = \"w\"\n[programs.w_1]\ncommand = \"w\"\n"
              "[groups.w]\nprograms = [\"w_0\", \"w_1\"]\n"));
    EXPECT_FALSE(
        folds("[programs.w_000]\ncommand = \"w\"\n[programs.w_001]\ncommand = \"w\"\n"
              "[groups.w]\nprograms = [\"w_000\", \"w_001\"]\n"));
    // Not in index order, or not next to each other in the file.
    EXPECT_FALSE(
        folds("[programs.w_01]\ncommand = \"w\"\n[programs.w_00]\ncommand = \"w\"\n"
              "[groups.w]\nprograms = [\"w_00\", \"w_01\"]\n"));
    EXPECT_FALSE(
        folds("[programs.w_00]\ncommand = \"w\"\n[programs.x]\ncommand = \"x\"\n"
              "[programs.w_01]\ncommand = \"w\"\n[groups.w]\nprograms = [\"w_00\", "
              "\"w_01\"]\n"));
    // The name is taken by another group.
    EXPECT_FALSE(folds(kExpanded + "[groups.g]\nprograms = [\"web_00\", \"web_01\", \"web_02\"]\n" +
                       "[programs.x]\ncommand = \"x\"\n[groups.web]\nprograms = [\"x\"]\n"));
    // Not in a group: each is a group of its own name.
    EXPECT_FALSE(folds(kExpanded));
}

TEST(TomlWriter, PutsWarningsAndWhatTomlCannotSayAtTheTopAsComments) {
    Config config = load_ok("[programs.a]\ncommand = \"a\"\n");
    config.warnings.push_back({{"/etc/supervisord.conf", 12, 0}, "\"nocleanup\" has no meaning"});
    config.warnings.push_back({{"/etc/supervisord.conf", 0, 0}, "two\nlines"});
    config.programs[0].stopasgroup = true;  // and killasgroup false, as an INI may say
    const std::string text = to_toml(config);
    EXPECT_THAT(text, StartsWith("# /etc/supervisord.conf:12: \"nocleanup\" has no meaning\n"
                                 "# /etc/supervisord.conf: two\n# lines\n"
                                 "# /etc/superv/superv.toml:1:1: program \"a\": killasgroup = "
                                 "false next to stopasgroup = true has no TOML spelling; "
                                 "stopasgroup implies killasgroup\n\n[programs.a]\n"));
    load_ok(text);
}

TEST(TomlWriter, NotesWhatAnHttpListenerHadOfItsOwn) {
    Config config = load_ok(
        "[superv.http]\nlisten = [\"/run/a.sock\", \"/run/b.sock\", "
        "\"127.0.0.1:9001\"]\nusername = \"u\"\npassword = \"p\"\n");
    EXPECT_THAT(to_toml(config), StartsWith("[superv.http]\n"));  // nothing to note
    config.daemon.http[0].mode = 0700;  // supervisord's default: the same on a socket
    EXPECT_THAT(to_toml(config), StartsWith("[superv.http]\n"));
    config.daemon.http[1].mode = 0770;
    config.daemon.http[1].group = "adm";
    config.daemon.http[1].owner = "www-data";
    config.daemon.http[2].username = "other";
    const std::string text = to_toml(config);
    EXPECT_THAT(text, HasSubstr(":2:26: HTTP listener \"/run/b.sock\": its mode \"0770\" is not "
                                "kept; a unix listener gets [superv] socket_mode (\"0600\")"));
    EXPECT_THAT(text, HasSubstr("\"/run/b.sock\": its group \"adm\" is not kept"));
    EXPECT_THAT(text, HasSubstr("\"/run/b.sock\": its owner \"www-data\" is not kept"));
    EXPECT_THAT(text, HasSubstr("\"127.0.0.1:9001\": its username and password are not kept"));
    EXPECT_THAT(text, HasSubstr("listen = [\"/run/a.sock\", \"/run/b.sock\", \"127.0.0.1:9001\"]\n"
                                "username = \"u\"\npassword = \"p\"\n"));
    load_ok(text);
}

TEST(TomlWriter, SpellsSizesDurationsAndModesAsAPersonWould) {
    const std::string text = to_toml(load_ok(R"([superv]
shutdown_timeout = 90
socket_mode = 0o660
[programs.p]
command = "p"
stopwaitsecs = 0.25
stdout_logfile_maxbytes = 1048576
stderr_logfile_maxbytes = 1536
umask = 0o22
)"));
    EXPECT_THAT(text, HasSubstr("shutdown_timeout = 90\n"));
    EXPECT_THAT(text, HasSubstr("socket_mode = \"0660\"\n"));
    EXPECT_THAT(text, HasSubstr("stopwaitsecs = 0.25\n"));
    EXPECT_THAT(text, HasSubstr("stdout_logfile_maxbytes = \"1MB\"\n"));
    EXPECT_THAT(text, HasSubstr("stderr_logfile_maxbytes = 1536\n"));
    EXPECT_THAT(text, HasSubstr("umask = \"022\"\n"));
    EXPECT_THAT(to_toml(load_ok("[programs.p]\ncommand = \"p\"\nstopsignal = \"SIGHUP\"\n")),
                HasSubstr("stopsignal = \"HUP\"\n"));
    EXPECT_THAT(to_toml(load_ok("[programs.p]\ncommand = \"p\"\nstopsignal = 40\n")),
                HasSubstr("stopsignal = 40\n"));
}

}  // namespace
}  // namespace superv::config

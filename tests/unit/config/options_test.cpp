// Every option of [superv] and [programs.NAME]: its default, and that the
// value written in the file is the value in the config.
#include <gtest/gtest.h>

#include <csignal>

#include "load_helpers.hpp"

namespace superv::config {
namespace {

using namespace std::chrono_literals;
using test_support::load_ok;
using test_support::program_from;

TEST(ProgramOptions, DefaultsFollowSupervisord) {
    ProgramConfig p = program_from("");
    EXPECT_EQ(p.name, "p");
    EXPECT_EQ(p.command, std::vector<std::string>{"/bin/true"});
    EXPECT_EQ(p.directory, "");
    EXPECT_TRUE(p.environment.empty());
    EXPECT_EQ(p.user, "");
    EXPECT_EQ(p.group, "");
    EXPECT_FALSE(p.umask.has_value());
    EXPECT_TRUE(p.autostart);
    EXPECT_EQ(p.autorestart, AutoRestart::OnFailure);
    EXPECT_EQ(p.exitcodes, std::vector<int>{0});
    EXPECT_EQ(p.startsecs, 1000ms);
    EXPECT_EQ(p.startretries, 3);
    EXPECT_EQ(p.stopsignal, SIGTERM);
    EXPECT_EQ(p.stopwaitsecs, 10000ms);
    EXPECT_FALSE(p.stopasgroup);
    EXPECT_FALSE(p.killasgroup);
    EXPECT_EQ(p.numprocs, 1);
    EXPECT_EQ(p.priority, 999);
    EXPECT_FALSE(p.critical);
    EXPECT_EQ(p.stdout_log.target.kind, LogTarget::Kind::Inherit);
    EXPECT_EQ(p.stderr_log.target.kind, LogTarget::Kind::Inherit);
    EXPECT_EQ(p.stdout_log.max_bytes, 50u * 1024 * 1024);
    EXPECT_EQ(p.stdout_log.backups, 10);
    EXPECT_FALSE(p.redirect_stderr);
    EXPECT_FALSE(p.stdin_pipe);
    EXPECT_EQ(p.serverurl, "");
}

TEST(ProgramOptions, ReadsEveryOption) {
    ProgramConfig p = program_from(R"(
directory = "/srv/web"
environment = { PORT = "8080", MODE = "prod" }
user = "root"
group = "root"
umask = "027"
autostart = false
autorestart = "always"
exitcodes = [0, 2]
startsecs = 5
startretries = 7
stopsignal = "INT"
stopwaitsecs = 2.5
stopasgroup = true
numprocs = 3
priority = -5
critical = true
stdout_logfile = "/var/log/p.out"
stderr_logfile = "none"
redirect_stderr = true
stdout_logfile_maxbytes = "1MB"
stdout_logfile_backups = 0
stderr_logfile_maxbytes = 4096
stderr_logfile_backups = 2
stdin = "pipe"
serverurl = "http://127.0.0.1:9001"
)");
    EXPECT_EQ(p.directory, "/srv/web");
    EXPECT_EQ(p.environment,
              (std::map<std::string, std::string>{{"PORT", "8080"}, {"MODE", "prod"}}));
    EXPECT_EQ(p.user, "root");
    EXPECT_EQ(p.group, "root");
    EXPECT_EQ(p.umask, mode_t{027});
    EXPECT_FALSE(p.autostart);
    EXPECT_EQ(p.autorestart, AutoRestart::Always);
    EXPECT_EQ(p.exitcodes, (std::vector<int>{0, 2}));
    EXPECT_EQ(p.startsecs, 5000ms);
    EXPECT_EQ(p.startretries, 7);
    EXPECT_EQ(p.stopsignal, SIGINT);
    EXPECT_EQ(p.stopwaitsecs, 2500ms);
    EXPECT_TRUE(p.stopasgroup);
    EXPECT_EQ(p.numprocs, 3);
    EXPECT_EQ(p.priority, -5);
    EXPECT_TRUE(p.critical);
    EXPECT_EQ(p.stdout_log.target, (LogTarget{LogTarget::Kind::File, "/var/log/p.out"}));
    EXPECT_EQ(p.stderr_log.target.kind, LogTarget::Kind::None);
    EXPECT_TRUE(p.redirect_stderr);
    EXPECT_EQ(p.stdout_log.max_bytes, 1024u * 1024);
    EXPECT_EQ(p.stdout_log.backups, 0);
    EXPECT_EQ(p.stderr_log.max_bytes, 4096u);
    EXPECT_EQ(p.stderr_log.backups, 2);
    EXPECT_TRUE(p.stdin_pipe);
    EXPECT_EQ(p.serverurl, "http://127.0.0.1:9001");
}

TEST(ProgramOptions, StdinNullIsTheDefaultSpelledOut) {
    EXPECT_FALSE(program_from("stdin = \"null\"\n").stdin_pipe);
}

TEST(ProgramOptions, ServerUrlAutoMeansDerivedAsInSupervisord) {
    EXPECT_EQ(program_from("serverurl = \"AUTO\"\n").serverurl, "");
    EXPECT_EQ(program_from("serverurl = \"unix:///run/x.sock\"\n").serverurl, "unix:///run/x.sock");
}

TEST(ProgramOptions, StopAsGroupImpliesKillAsGroup) {
    EXPECT_TRUE(program_from("stopasgroup = true\n").killasgroup);
    EXPECT_TRUE(program_from("stopasgroup = true\nkillasgroup = true\n").killasgroup);
    EXPECT_TRUE(program_from("killasgroup = true\n").killasgroup);
    EXPECT_FALSE(program_from("killasgroup = true\n").stopasgroup);
}

TEST(ProgramOptions, AcceptsSupervisordSpellingsOfAutorestart) {
    EXPECT_EQ(program_from("autorestart = true\n").autorestart, AutoRestart::Always);
    EXPECT_EQ(program_from("autorestart = false\n").autorestart, AutoRestart::Never);
    EXPECT_EQ(program_from("autorestart = \"unexpected\"\n").autorestart, AutoRestart::OnFailure);
    EXPECT_EQ(program_from("autorestart = \"on-failure\"\n").autorestart, AutoRestart::OnFailure);
    EXPECT_EQ(program_from("autorestart = \"never\"\n").autorestart, AutoRestart::Never);
}

TEST(ProgramOptions, SplitsStringCommandLikeAShell) {
    Config config = load_ok(R"([programs.p]
command = "/usr/bin/python3 -c 'print(\"hi there\")' --flag=\"a b\""
)");
    ASSERT_EQ(config.programs.size(), 1u);
    EXPECT_EQ(
        config.programs[0].command,
        (std::vector<std::string>{"/usr/bin/python3", "-c", "print(\"hi there\")", "--flag=a b"}));
}

TEST(ProgramOptions, KeepsArrayCommandWordsVerbatim) {
    Config config = load_ok("[programs.p]\ncommand = [\"sh\", \"-c\", \"echo $HOME 'x'\"]\n");
    ASSERT_EQ(config.programs.size(), 1u);
    EXPECT_EQ(config.programs[0].command, (std::vector<std::string>{"sh", "-c", "echo $HOME 'x'"}));
}

TEST(ProgramOptions, KeepsProgramsInFileOrderNotAlphabetical) {
    Config config = load_ok(R"(
[programs.zeta]
command = "z"
[programs.alpha]
command = "a"
[programs]
mid = { command = "m" }
)");
    ASSERT_EQ(config.programs.size(), 3u);
    EXPECT_EQ(config.programs[0].name, "zeta");
    EXPECT_EQ(config.programs[1].name, "alpha");
    EXPECT_EQ(config.programs[2].name, "mid");
    EXPECT_EQ(config.programs[0].pos, (SourcePos{test_support::kFile, 2, 1}));
}

TEST(DaemonOptions, DefaultsWhenTableIsMissing) {
    Config config = load_ok("");
    EXPECT_EQ(config.daemon.socket, "");
    EXPECT_FALSE(config.daemon.socket_mode.has_value());
    EXPECT_EQ(config.daemon.socket_group, "");
    EXPECT_EQ(config.daemon.log_level, "info");
    EXPECT_EQ(config.daemon.shutdown_timeout, 30000ms);
    EXPECT_TRUE(config.daemon.http.empty());
    EXPECT_EQ(config.daemon.identifier, "supervisor");
    EXPECT_EQ(config.daemon.logfile.target.kind, LogTarget::Kind::None);
    EXPECT_EQ(config.daemon.logfile.max_bytes, 50u * 1024 * 1024);
    EXPECT_EQ(config.daemon.logfile.backups, 10);
    EXPECT_EQ(config.daemon.user, "");
    EXPECT_EQ(config.daemon.directory, "");
    EXPECT_FALSE(config.daemon.umask.has_value());
    EXPECT_TRUE(config.daemon.environment.empty());
    EXPECT_EQ(config.daemon.minfds, 0);
    EXPECT_EQ(config.daemon.minprocs, 0);
    EXPECT_EQ(config.daemon.pidfile, "");
    EXPECT_TRUE(config.programs.empty());
    EXPECT_EQ(config.path, test_support::kFile);
}

TEST(DaemonOptions, ReadsEveryOption) {
    Config config = load_ok(R"([superv]
socket = "/run/x.sock"
socket_mode = "0660"
socket_group = "root"
log_level = "debug"
shutdown_timeout = 12
identifier = "box-1"
logfile = "log/superv.log"
logfile_maxbytes = "1MB"
logfile_backups = 3
user = "root"
directory = "/srv"
umask = "027"
environment = { TZ = "UTC", LANG = "C.UTF-8" }
minfds = 4096
minprocs = 200
pidfile = "/run/superv.pid"
)");
    EXPECT_EQ(config.daemon.socket, "/run/x.sock");
    EXPECT_EQ(config.daemon.socket_mode, mode_t{0660});
    EXPECT_EQ(config.daemon.socket_group, "root");
    EXPECT_EQ(config.daemon.log_level, "debug");
    EXPECT_EQ(config.daemon.shutdown_timeout, 12000ms);
    EXPECT_EQ(config.daemon.identifier, "box-1");
    // Relative to the config's directory, as every other path.
    EXPECT_EQ(config.daemon.logfile.target,
              (LogTarget{LogTarget::Kind::File, "/etc/superv/log/superv.log"}));
    EXPECT_EQ(config.daemon.logfile.max_bytes, 1024u * 1024);
    EXPECT_EQ(config.daemon.logfile.backups, 3);
    EXPECT_EQ(config.daemon.user, "root");
    EXPECT_EQ(config.daemon.directory, "/srv");
    EXPECT_EQ(config.daemon.umask, mode_t{027});
    EXPECT_EQ(config.daemon.environment,
              (std::map<std::string, std::string>{{"TZ", "UTC"}, {"LANG", "C.UTF-8"}}));
    EXPECT_EQ(config.daemon.minfds, 4096);
    EXPECT_EQ(config.daemon.minprocs, 200);
    EXPECT_EQ(config.daemon.pidfile, "/run/superv.pid");
}

TEST(SameOptions, IgnoresPositionButNotAnyOption) {
    ProgramConfig a = program_from("priority = 5\n");
    ProgramConfig b = a;
    b.pos = SourcePos{"other.toml", 40, 3};
    EXPECT_TRUE(a.same_options(b));
    b.stopwaitsecs = Millis{1};
    EXPECT_FALSE(a.same_options(b));
    b = a;
    b.environment["X"] = "1";
    EXPECT_FALSE(a.same_options(b));
    b = a;
    b.stderr_log.backups = 3;
    EXPECT_FALSE(a.same_options(b));
}

}  // namespace
}  // namespace superv::config

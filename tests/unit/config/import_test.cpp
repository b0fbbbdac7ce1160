// `superv import`: a supervisord.conf and the TOML that import writes for it
// load to the same processes, with the same options, groups and daemon
// settings.
#include <gtest/gtest.h>

#include "load_helpers.hpp"
#include "superv/config/processes.hpp"
#include "superv/config/toml_writer.hpp"
#include "temp_files.hpp"

namespace superv::config {
namespace {

using test_support::load_ok;
using test_support::TempFiles;

// Positions differ between the two files; of a socket's mode only the read
// and write bits mean anything (supervisord's default chmod is 0700, TOML's
// socket_mode 0600).
DaemonConfig comparable(DaemonConfig daemon) {
    for (HttpListener& listener : daemon.http) {
        listener.pos = {};
        listener.mode &= 0666;
    }
    return daemon;
}

void expect_same(const Config& ini, const Config& toml, const std::string& text) {
    EXPECT_EQ(comparable(ini.daemon), comparable(toml.daemon)) << text;
    const auto a = expand_processes(ini), b = expand_processes(toml);
    ASSERT_EQ(a.size(), b.size()) << text;
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].full_name(), b[i].full_name()) << text;
        EXPECT_EQ(a[i].priority, b[i].priority) << a[i].full_name() << "\n" << text;
        ProgramConfig folded = *b[i].program;  // numprocs may fold processes into one program
        folded.name = a[i].program->name;
        folded.numprocs = a[i].program->numprocs;
        EXPECT_TRUE(a[i].program->same_options(folded)) << a[i].full_name() << "\n" << text;
    }
}

Config imported(const Config& ini) {
    const std::string text = to_toml(ini);
    LoadResult again = load_string(text, "/etc/superv/superv.toml", LoadOptions{});
    if (!again.ok()) {
        ADD_FAILURE() << "import wrote a config that does not load:\n"
                      << text << "\n"
                      << again.errors().front().to_string();
        return {};
    }
    return std::move(again.config());
}

constexpr const char* kTypical = R"ini(
[unix_http_server]
file = /run/supervisor.sock
chmod = 0700
username = admin
password = {SHA}e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4

[inet_http_server]
port = 127.0.0.1:9001
username = admin
password = {SHA}e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4

[supervisord]
logfile = /var/log/supervisor/supervisord.log
logfile_maxbytes = 10MB
logfile_backups = 3
loglevel = debug
identifier = web-1
childlogdir = /var/log/supervisor
environment = TZ="UTC",LANG=C.UTF-8
minfds = 2048

[program:web]
command = /usr/bin/python3 -m http.server %(process_num)d
process_name = %(program_name)s_%(process_num)02d
numprocs = 3
numprocs_start = 8000
directory = /srv/%(program_name)s
environment = PORT="%(process_num)d",NAME="web %(process_num)02d"
stdout_logfile = /var/log/web-%(process_num)02d.log
stdout_logfile_maxbytes = 1MB
redirect_stderr = true
autorestart = unexpected
exitcodes = 0,2
stopsignal = INT
stopwaitsecs = 30
stopasgroup = true
priority = 10

[program:worker]
command = /usr/bin/sleep 1000
startsecs = 5
startretries = 7
autorestart = true
user = nobody
umask = 027
stderr_logfile = NONE

[program:cron]
command = /usr/sbin/cron -f
autostart = false
stdout_logfile = /dev/stdout
stdout_logfile_maxbytes = 0

[group:backend]
programs = worker,cron
priority = 50
)ini";

TEST(Import, TypicalSupervisordConfLoadsTheSameFromItsToml) {
    const Config ini = load_ok(kTypical);
    ASSERT_EQ(ini.format, ConfigFormat::Supervisord);
    expect_same(ini, imported(ini), to_toml(ini));
}

TEST(Import, SameProgramsFolded) {
    // Processes identical but for their names, named as superv names them:
    // one program with numprocs in the TOML. (AUTO log files, the default,
    // are named after each process: those could not fold.)
    const Config ini = load_ok(
        "[supervisord]\n[program:pool]\ncommand = /bin/sleep 1000\n"
        "process_name = %(program_name)s_%(process_num)02d\nnumprocs = 4\n"
        "stdout_logfile = NONE\nstderr_logfile = NONE\n");
    const std::string text = to_toml(ini);
    EXPECT_NE(text.find("numprocs = 4"), std::string::npos) << text;
    expect_same(ini, imported(ini), text);
}

TEST(Import, IncludedFilesAreMergedIntoOneToml) {
    TempFiles files;
    files.write("conf.d/a.conf", "[program:a]\ncommand = /bin/sleep 1\nstartsecs = 0\n");
    files.write("conf.d/b.conf",
                "[program:b]\ncommand = /bin/sleep 2 ; a comment\n"
                "stdout_logfile = %(here)s/b.log\n");
    const std::string main =
        files.write("supervisord.conf",
                    "[supervisord]\nidentifier = inc\n[include]\nfiles = conf.d/*.conf\n"
                    "[program:main]\ncommand = /bin/sleep 3\n");
    LoadResult loaded = load_file(main, LoadOptions{});
    ASSERT_TRUE(loaded.ok()) << loaded.errors().front().to_string();
    const Config& ini = loaded.config();
    ASSERT_EQ(expand_processes(ini).size(), 3u);
    const Config toml = imported(ini);
    expect_same(ini, toml, to_toml(ini));
    EXPECT_TRUE(toml.included.empty());
}

TEST(Import, CredentialsOfOneListenerOnlyAreNotedAsLost) {
    // [superv.http] has one username/password for every listener.
    const Config ini = load_ok(
        "[unix_http_server]\nfile = /run/s.sock\n[inet_http_server]\nport = :9001\n"
        "username = u\npassword = p\n");
    EXPECT_NE(to_toml(ini).find("its username and password are not kept"), std::string::npos);
}

TEST(Import, WhatTomlCannotSayBecomesAComment) {
    const Config ini = load_ok(
        "[supervisord]\nstrip_ansi = true\n"
        "[program:x]\ncommand = /bin/true\nstdout_events_enabled = true\n");
    ASSERT_FALSE(ini.warnings.empty());
    const std::string text = to_toml(ini);
    for (const ConfigError& w : ini.warnings) {
        EXPECT_NE(text.find("# " + w.pos.to_string() + ": "), std::string::npos)
            << w.to_string() << "\n"
            << text;
    }
    expect_same(ini, imported(ini), text);
}

}  // namespace
}  // namespace superv::config

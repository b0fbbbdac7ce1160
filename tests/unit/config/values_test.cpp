// Value formats: durations, sizes, signals, modes, log targets, paths.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include "load_helpers.hpp"

namespace superv::config {
namespace {

using namespace std::chrono_literals;
using test_support::errors_of;
using test_support::load_ok;
using test_support::program_from;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Durations, AcceptIntegerAndFractionalSeconds) {
    EXPECT_EQ(program_from("startsecs = 0\n").startsecs, 0ms);
    EXPECT_EQ(program_from("startsecs = 3\n").startsecs, 3000ms);
    EXPECT_EQ(program_from("startsecs = 0.25\n").startsecs, 250ms);
    EXPECT_EQ(program_from("stopwaitsecs = 1.0005\n").stopwaitsecs, 1001ms);  // rounded
}

TEST(Durations, RejectNanInfinityAndHugeValues) {
    const std::string head = "[programs.p]\ncommand = \"x\"\n";
    EXPECT_THAT(errors_of(head + "startsecs = nan\n"),
                ElementsAre(HasSubstr("3:13: \"startsecs\" must be a number of seconds, not nan")));
    EXPECT_THAT(errors_of(head + "startsecs = inf\n"),
                ElementsAre(HasSubstr("3:13: \"startsecs\" must be at most 1000000000 seconds")));
    EXPECT_THAT(errors_of(head + "startsecs = -inf\n"),
                ElementsAre(HasSubstr("3:13: \"startsecs\" must not be negative")));
    EXPECT_THAT(errors_of("[superv]\nshutdown_timeout = 1e12\n"),
                ElementsAre(HasSubstr("2:20: \"shutdown_timeout\" must be at most")));
}

TEST(Sizes, AcceptBytesAndPowerOf1024Suffixes) {
    auto size = [](const std::string& value) {
        return program_from("stdout_logfile_maxbytes = " + value + "\n").stdout_log.max_bytes;
    };
    EXPECT_EQ(size("0"), 0u);
    EXPECT_EQ(size("1234"), 1234u);
    EXPECT_EQ(size("\"1234\""), 1234u);
    EXPECT_EQ(size("\"1234B\""), 1234u);
    EXPECT_EQ(size("\"10KB\""), 10u * 1024);
    EXPECT_EQ(size("\"50MB\""), 50u * 1024 * 1024);
    EXPECT_EQ(size("\"2GB\""), 2ull * 1024 * 1024 * 1024);
    EXPECT_EQ(size("\"5 mb\""), 5u * 1024 * 1024);
}

TEST(Sizes, RejectMalformedAndOverflowingSizes) {
    const std::string head = "[programs.p]\ncommand = \"x\"\nstdout_logfile_maxbytes = ";
    for (const char* bad : {"\"\"", "\"MB\"", "\"1.5MB\"", "\"10TB\"", "\"-1KB\"", "\"10 KB x\"",
                            "\"99999999999999999999\"", "\"17179869184GB\""}) {
        EXPECT_THAT(errors_of(head + bad + "\n"),
                    ElementsAre(HasSubstr("3:27: \"stdout_logfile_maxbytes\" must be a size like")))
            << bad;
    }
    EXPECT_THAT(errors_of(head + "1.5\n"),
                ElementsAre(HasSubstr("must be a size like 1048576 or \"50MB\", not a float")));
}

TEST(Signals, AcceptNamesPrefixedNamesAndNumbers) {
    EXPECT_EQ(program_from("stopsignal = \"HUP\"\n").stopsignal, SIGHUP);
    EXPECT_EQ(program_from("stopsignal = \"SIGQUIT\"\n").stopsignal, SIGQUIT);
    EXPECT_EQ(program_from("stopsignal = \"usr1\"\n").stopsignal, SIGUSR1);
    EXPECT_EQ(program_from("stopsignal = 9\n").stopsignal, SIGKILL);
    EXPECT_EQ(program_from("stopsignal = \"2\"\n").stopsignal, SIGINT);
}

TEST(Modes, AcceptOctalStringsAndOctalIntegers) {
    EXPECT_EQ(program_from("umask = \"022\"\n").umask, mode_t{022});
    EXPECT_EQ(program_from("umask = \"22\"\n").umask, mode_t{022});
    EXPECT_EQ(program_from("umask = \"0o077\"\n").umask, mode_t{077});
    EXPECT_EQ(program_from("umask = 0o27\n").umask, mode_t{027});
    EXPECT_EQ(program_from("umask = 0\n").umask, mode_t{0});
    EXPECT_EQ(load_ok("[superv]\nsocket_mode = \"0600\"\n").daemon.socket_mode, mode_t{0600});
}

TEST(LogTargets, KeywordsAreCaseInsensitiveAndPathsResolved) {
    EXPECT_EQ(program_from("stdout_logfile = \"NONE\"\n").stdout_log.target.kind,
              LogTarget::Kind::None);
    EXPECT_EQ(program_from("stdout_logfile = \"Inherit\"\n").stdout_log.target.kind,
              LogTarget::Kind::Inherit);
    EXPECT_THAT(errors_of("[programs.p]\ncommand = \"x\"\nstderr_logfile = \"\"\n"),
                ElementsAre(HasSubstr("3:18: \"stderr_logfile\" must not be empty")));
}

TEST(RelativePaths, ResolveAgainstTheConfigFileDirectory) {
    ProgramConfig p = program_from(R"(directory = "srv/web"
stdout_logfile = "logs/web.out"
stderr_logfile = "../shared/web.err"
)");
    EXPECT_EQ(p.directory, "/etc/superv/srv/web");
    EXPECT_EQ(p.stdout_log.target.path, "/etc/superv/logs/web.out");
    EXPECT_EQ(p.stderr_log.target.path, "/etc/superv/../shared/web.err");
    EXPECT_EQ(load_ok("[superv]\nsocket = \"run/superv.sock\"\n").daemon.socket,
              "/etc/superv/run/superv.sock");
}

TEST(RelativePaths, KeepAbsolutePathsAndRelativeCommandWords) {
    ProgramConfig p = program_from("directory = \"/srv\"\nstdout_logfile = \"/var/log/x\"\n");
    EXPECT_EQ(p.directory, "/srv");
    EXPECT_EQ(p.stdout_log.target.path, "/var/log/x");
    Config config = load_ok("[programs.p]\ncommand = [\"./bin/app\"]\n");
    EXPECT_EQ(config.programs[0].command[0], "./bin/app");
}

TEST(RelativePaths, UseTheWorkingDirectoryForABareFileName) {
    LoadResult result = load_string("[superv]\nsocket = \"s.sock\"\n", "superv.toml");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.config().daemon.socket, std::filesystem::current_path() / "s.sock");
}

TEST(RelativePaths, LoadFileResolvesAgainstTheFilesOwnDirectory) {
    char dir_template[] = "/tmp/superv-config-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    const std::string dir = dir_template;
    const std::string path = dir + "/superv.toml";
    std::ofstream(path) << "[programs.web]\ncommand = \"w\"\nstdout_logfile = \"web.log\"\n";

    LoadResult result = load_file(path);
    std::filesystem::remove_all(dir);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.config().path, path);
    EXPECT_EQ(result.config().programs[0].stdout_log.target.path, dir + "/web.log");
}

}  // namespace
}  // namespace superv::config

// tini's and dumb-init's command lines, as superv reads them under their names.
#include "superv/cli/compat_command_line.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <string>

#include "superv/cli/daemon_flags.hpp"

namespace superv::cli {
namespace {

Getenv env(std::map<std::string, std::string> vars = {}) {
    auto table = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
    return [table](const char* name) -> const char* {
        auto it = table->find(name);
        return it == table->end() ? nullptr : it->second.c_str();
    };
}

using Args = std::vector<std::string>;

TEST(TiniCommandLine, OptionsAnywhereUntilDoubleDash) {
    auto r = parse_tini({"tini", "-g", "sleep", "-v", "--", "1", "-x"}, env());
    ASSERT_TRUE(r.run);
    EXPECT_EQ(r.run->main_command, (Args{"sleep", "1", "-x"}));
    EXPECT_TRUE(r.run->signal_group);
    EXPECT_FALSE(r.run->term_group_at_exit);
    EXPECT_EQ(r.run->log_level, "info");  // default verbosity 1, plus one -v
}

TEST(TiniCommandLine, FlagsBecomeOptions) {
    auto r = parse_tini({"tini", "-s", "-w", "-p", "SIGKILL", "-e", "143", "-e3", "x"}, env());
    ASSERT_TRUE(r.run);
    EXPECT_EQ(r.run->pdeathsig, SIGKILL);
    EXPECT_TRUE(r.run->warn_on_reap);
    EXPECT_EQ(r.run->remap_exit, (std::map<int, int>{{3, 0}, {143, 0}}));
    EXPECT_EQ(r.run->log_level, "warn");
    EXPECT_EQ(r.run->signals.rewrite[SIGTTIN], 0);  // tini ignores them
    EXPECT_EQ(r.run->signals.rewrite[SIGTSTP], SIGTSTP);
}

TEST(TiniCommandLine, UsageErrorsExit1) {
    for (const Args& args :
         {Args{"tini"}, Args{"tini", "sh", "-c", "true"}, Args{"tini", "-e", "256", "x"},
          Args{"tini", "-e", "1x", "x"}, Args{"tini", "-p", "KILL", "x"}, Args{"tini", "-p"}}) {
        auto r = parse_tini(args, env());
        EXPECT_FALSE(r.run) << args.back();
        EXPECT_EQ(r.exit_code, 1) << args.back();
        EXPECT_FALSE(r.err.empty());
    }
}

TEST(TiniCommandLine, VersionHelpAndLicenseExit0) {
    auto version = parse_tini({"tini", "--version"}, env());
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_EQ(version.out.rfind("tini version 0.19.0", 0), 0u);
    EXPECT_EQ(parse_tini({"tini", "-h"}, env()).exit_code, 0);
    EXPECT_FALSE(parse_tini({"tini", "-l", "x"}, env()).run);
}

TEST(TiniCommandLine, Environment) {
    auto r = parse_tini(
        {"tini", "x"},
        env({{"TINI_KILL_PROCESS_GROUP", ""}, {"TINI_VERBOSITY", "3"}, {"TINI_SUBREAPER", ""}}));
    ASSERT_TRUE(r.run);
    EXPECT_TRUE(r.run->signal_group);
    EXPECT_EQ(r.run->log_level, "debug");
    EXPECT_EQ(parse_tini({"tini", "x"}, env({{"TINI_VERBOSITY", "0"}})).run->log_level, "error");
}

TEST(DumbInitCommandLine, SetsidModeByDefault) {
    auto r = parse_dumb_init({"dumb-init", "sh", "-c", "x"}, env());
    ASSERT_TRUE(r.run);
    EXPECT_EQ(r.run->main_command, (Args{"sh", "-c", "x"}));
    EXPECT_TRUE(r.run->signal_group);
    EXPECT_TRUE(r.run->term_group_at_exit);
    EXPECT_EQ(r.run->signals.rewrite[SIGTSTP], SIGSTOP);
    EXPECT_TRUE(r.run->signals.stop_with_job_control);
    EXPECT_TRUE(r.run->signals.own.none());  // it forwards the fault signals too
    EXPECT_EQ(r.run->exec_failure_code, 2);
}

TEST(DumbInitCommandLine, SingleChildAndRewrites) {
    auto r = parse_dumb_init(
        {"dumb-init", "-c", "--rewrite", "15:3", "-r1:0", "--rewrite=20:10", "x", "-v"}, env());
    ASSERT_TRUE(r.run);
    EXPECT_FALSE(r.run->signal_group);
    EXPECT_FALSE(r.run->term_group_at_exit);
    EXPECT_EQ(r.run->signals.rewrite[SIGTERM], SIGQUIT);
    EXPECT_EQ(r.run->signals.rewrite[SIGHUP], 0);
    EXPECT_EQ(r.run->signals.rewrite[SIGTSTP], SIGUSR1);
    EXPECT_EQ(r.run->signals.rewrite[SIGTTIN], SIGTTIN);  // no setsid: not rewritten
    EXPECT_EQ(r.run->main_command, (Args{"x", "-v"}));
    EXPECT_EQ(r.run->log_level, "warn");
}

TEST(DumbInitCommandLine, EnvironmentAndVerbose) {
    auto r = parse_dumb_init({"dumb-init", "--verb", "x"}, env({{"DUMB_INIT_SETSID", "0"}}));
    ASSERT_TRUE(r.run);
    EXPECT_FALSE(r.run->signal_group);
    EXPECT_EQ(r.run->log_level, "debug");
}

TEST(DumbInitCommandLine, UsageErrorsExit1VersionAndHelp0) {
    for (const Args& args :
         {Args{"dumb-init"}, Args{"dumb-init", "-x", "y"}, Args{"dumb-init", "-r", "99:1", "y"},
          Args{"dumb-init", "-r", "1"}, Args{"dumb-init", "--nope", "y"}}) {
        auto r = parse_dumb_init(args, env());
        EXPECT_FALSE(r.run);
        EXPECT_EQ(r.exit_code, 1) << args.back();
    }
    auto version = parse_dumb_init({"dumb-init", "-V"}, env());
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_EQ(version.err.rfind("dumb-init v1.2.5", 0), 0u);
    EXPECT_EQ(parse_dumb_init({"dumb-init", "--help"}, env()).exit_code, 0);
}

TEST(DaemonFlags, RemapAndRewrite) {
    EXPECT_EQ(parse_exit_remap("143=0"), (std::pair{143, 0}));
    EXPECT_FALSE(parse_exit_remap("256=0"));
    EXPECT_FALSE(parse_exit_remap("143"));
    EXPECT_EQ(parse_signal_rewrite("TERM=QUIT"), (std::pair{SIGTERM, SIGQUIT}));
    EXPECT_EQ(parse_signal_rewrite("SIGHUP=0"), (std::pair{SIGHUP, 0}));
    EXPECT_EQ(parse_signal_rewrite("15=10"), (std::pair{SIGTERM, SIGUSR1}));
    EXPECT_FALSE(parse_signal_rewrite("TERM=RTMIN"));
    EXPECT_FALSE(parse_signal_rewrite("FOO=TERM"));
}

}  // namespace
}  // namespace superv::cli

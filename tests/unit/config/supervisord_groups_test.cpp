// How supervisord's programs, processes and groups map onto superv's: one
// ProgramConfig per process, groups named as supervisorctl names them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ini_helpers.hpp"
#include "superv/config/processes.hpp"

namespace superv::config {
namespace {

using test_support::ini_errors;
using test_support::ini_ok;
using test_support::ini_warnings;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Every process as supervisorctl status names it.
std::vector<std::string> status_names(const Config& config) {
    std::vector<std::string> out;
    for (const ProcessSpec& process : expand_processes(config))
        out.push_back(process.display_name());
    return out;
}

TEST(SupervisordGroups, NumprocsGivesOneProgramPerProcessInTheProgramsGroup) {
    Config config = ini_ok(
        "[supervisord]\n"
        "[program:worker]\n"
        "command = /bin/work --slot %(process_num)d\n"
        "process_name = %(program_name)s_%(process_num)02d\n"
        "numprocs = 3\n"
        "stdout_logfile = /tmp/worker-%(process_num)d.log\n");
    ASSERT_EQ(config.programs.size(), 3u);
    EXPECT_THAT(status_names(config),
                ElementsAre("worker:worker_00", "worker:worker_01", "worker:worker_02"));
    EXPECT_THAT(config.programs[2].command, ElementsAre("/bin/work", "--slot", "2"));
    EXPECT_EQ(config.programs[1].stdout_log.target.path, "/tmp/worker-1.log");
    for (const ProgramConfig& p : config.programs)
        EXPECT_EQ(p.numprocs, 1);
    ASSERT_EQ(config.groups.size(), 1u);
    EXPECT_EQ(config.groups[0].name, "worker");
    EXPECT_THAT(config.groups[0].programs, ElementsAre("worker_00", "worker_01", "worker_02"));
    EXPECT_EQ(config.groups[0].priority, std::nullopt);
}

TEST(SupervisordGroups, AWarningAboutEveryProcessComesOnce) {
    EXPECT_THAT(
        ini_warnings("[supervisord]\n[program:w]\ncommand = x\nprocess_name = w%(process_num)d\n"
                     "numprocs = 3\nstdout_syslog = true\n"),
        ElementsAre(HasSubstr(":6:1: \"stdout_syslog\" is ignored")));
}

TEST(SupervisordGroups, NumprocsStartShiftsProcessNum) {
    Config config = ini_ok(
        "[program:w]\ncommand = x\nprocess_name = w%(process_num)d\nnumprocs = 2\n"
        "numprocs_start = 8\n");
    EXPECT_THAT(status_names(config), ElementsAre("w:w8", "w:w9"));
}

TEST(SupervisordGroups, NumprocsAboveOneNeedsProcessNumInTheName) {
    EXPECT_THAT(ini_errors("[program:w]\ncommand = x\nnumprocs = 2\n"),
                ElementsAre("/etc/supervisord.conf:1:1: numprocs > 1 needs %(process_num) in "
                            "\"process_name\" of [program:w], so that each process gets a name "
                            "of its own"));
    EXPECT_THAT(
        ini_errors("[program:w]\ncommand = x\nnumprocs = 2\nprocess_name = %%(process_num)s\n"),
        ElementsAre(HasSubstr(":4:16: process name \"%(process_num)s\" may contain only")));
}

TEST(SupervisordGroups, AProcessNamedUnlikeItsProgramIsInTheProgramsGroup) {
    Config config = ini_ok("[program:web]\ncommand = x\nprocess_name = frontend\n");
    EXPECT_THAT(status_names(config), ElementsAre("web:frontend"));
    ASSERT_EQ(config.groups.size(), 1u);
    EXPECT_THAT(config.groups[0].programs, ElementsAre("frontend"));
}

TEST(SupervisordGroups, AGroupSectionHoldsItsProgramsProcesses) {
    Config config = ini_ok(
        "[group:backend]\nprograms = api, worker\npriority = 5\n"
        "[program:api]\ncommand = /bin/api %(group_name)s\n"
        "[program:worker]\ncommand = x\nprocess_name = worker_%(process_num)d\nnumprocs = 2\n"
        "[program:cron]\ncommand = x\n");
    EXPECT_THAT(status_names(config),
                ElementsAre("backend:api", "backend:worker_0", "backend:worker_1", "cron"));
    EXPECT_THAT(config.programs[0].command, ElementsAre("/bin/api", "backend"));
    ASSERT_EQ(config.groups.size(), 1u);
    EXPECT_EQ(config.groups[0].name, "backend");
    EXPECT_THAT(config.groups[0].programs, ElementsAre("api", "worker_0", "worker_1"));
    EXPECT_EQ(config.groups[0].priority, 5);
    EXPECT_EQ(config.groups[0].pos.to_string(), "/etc/supervisord.conf:1:1");
}

TEST(SupervisordGroups, AGroupWithoutPriorityLeavesThePrograms) {
    Config config = ini_ok("[group:g]\nprograms = a\n[program:a]\ncommand = x\npriority = 3\n");
    EXPECT_EQ(config.groups.at(0).priority, std::nullopt);
    EXPECT_EQ(expand_processes(config).at(0).priority, 3);
}

TEST(SupervisordGroups, GroupMembersMustBeProgramsInOneGroup) {
    EXPECT_THAT(
        ini_errors("[group:g]\nprograms = api,wrker,api\n[group:h]\nprograms = api\n"
                   "[program:api]\ncommand = x\n[program:worker]\ncommand = x\n"),
        ElementsAre("/etc/supervisord.conf:2:16: [group:g] lists program \"wrker\", which has "
                    "no [program:wrker] section (did you mean \"worker\"?)",
                    "/etc/supervisord.conf:2:22: program \"api\" is listed twice in [group:g]",
                    "/etc/supervisord.conf:4:12: program \"api\" is already in [group:g]; superv "
                    "puts a program's processes in one group (supervisord would run them twice)"));
}

TEST(SupervisordGroups, AnEmptyGroupIsIgnoredWithAWarning) {
    const std::string text = "[supervisord]\n[group:g]\n[program:a]\ncommand = x\n";
    EXPECT_THAT(ini_warnings(text),
                ElementsAre("/etc/supervisord.conf:2:1: [group:g] lists no programs; ignored "
                            "(supervisord would show an empty group)"));
    EXPECT_THAT(ini_ok(text).groups, IsEmpty());
}

TEST(SupervisordGroups, ProcessNamesMustDifferAcrossGroups) {
    EXPECT_THAT(ini_errors("[program:a]\ncommand = x\nprocess_name = web\n"
                           "[program:b]\ncommand = x\nprocess_name = web\n"),
                ElementsAre("/etc/supervisord.conf:6:16: process name \"web\" of [program:b] is "
                            "already the name of a process of [program:a] "
                            "(/etc/supervisord.conf:3:16); superv names a process without its "
                            "group, so process names must differ across groups"));
}

TEST(SupervisordGroups, AGroupMayNotTakeTheNameOfAnotherGroupsProcess) {
    EXPECT_THAT(ini_errors("[program:a]\ncommand = x\nprocess_name = b\n"
                           "[program:b]\ncommand = x\nprocess_name = c\n"),
                ElementsAre(HasSubstr(":4:1: group \"b\" of [program:b] has the name of a process "
                                      "of [program:a] in group \"a\"")));
}

TEST(SupervisordGroups, GroupNamesMustDiffer) {
    EXPECT_THAT(ini_errors("[group:web]\nprograms = a\n[program:a]\ncommand = x\n"
                           "[program:web]\ncommand = x\nprocess_name = web_1\n"),
                ElementsAre(HasSubstr(":5:1: group \"web\" of [program:web] is also the group of "
                                      "[group:web] (/etc/supervisord.conf:1:1)")));
}

TEST(SupervisordGroups, NamesOutsideSupervsSetAreErrors) {
    EXPECT_THAT(ini_errors("[program:a]\ncommand = x\nprocess_name = a@1\n"),
                ElementsAre("/etc/supervisord.conf:3:16: process name \"a@1\" may contain only "
                            "letters, digits, \"_\", \".\" and \"-\""));
    EXPECT_THAT(ini_errors("[program:all]\ncommand = x\n"),
                ElementsAre(HasSubstr(":1:1: process name \"all\" is reserved")));
    EXPECT_THAT(ini_errors("[program:a b]\ncommand = x\n"),
                ElementsAre("/etc/supervisord.conf:1:1: [program:a b]: the name \"a b\" must not "
                            "contain \" \""));
    EXPECT_THAT(ini_errors("[program:a]\ncommand = x\nprocess_name = x:y\n"),
                ElementsAre(HasSubstr(":3:16: process name \"x:y\" may contain only")));
}

TEST(SupervisordGroups, TheProgramNameIsStrippedAsInSupervisord) {
    EXPECT_THAT(status_names(ini_ok("[program: web ]\ncommand = x\n")), ElementsAre("web"));
    EXPECT_THAT(ini_errors("[program:web]\ncommand = x\n[program: web]\ncommand = y\n"),
                ElementsAre("/etc/supervisord.conf:3:1: [program: web] and [program:web] both "
                            "define program \"web\""));
}

TEST(SupervisordGroups, ProcessNameUsesItsOwnEnvironment) {
    Config config = ini_ok(
        "[program:a]\ncommand = x\nenvironment = ROLE=db\n"
        "process_name = a-%(ENV_ROLE)s\n");
    EXPECT_THAT(status_names(config), ElementsAre("a:a-db"));
}

}  // namespace
}  // namespace superv::config

// [groups.NAME] tables and the rules that span programs and groups.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "load_helpers.hpp"

namespace superv::config {
namespace {

using test_support::errors_of;
using test_support::load_ok;
using ::testing::ElementsAre;

const std::string kTwoPrograms = R"([programs.web]
command = "/bin/web"
[programs.worker]
command = "/bin/worker"
)";

TEST(Groups, ReadsGroupsInFileOrder) {
    Config config = load_ok(kTwoPrograms + R"(
[groups.zz]
programs = ["worker"]
[groups.aa]
programs = ["web"]
)");
    ASSERT_EQ(config.groups.size(), 2u);
    EXPECT_EQ(config.groups[0].name, "zz");
    EXPECT_EQ(config.groups[0].programs, std::vector<std::string>{"worker"});
    EXPECT_EQ(config.groups[0].pos, (SourcePos{test_support::kFile, 6, 1}));
    EXPECT_EQ(config.groups[1].name, "aa");
}

TEST(Groups, PriorityIsUnsetUnlessWritten) {
    Config config = load_ok(kTwoPrograms + R"(
[groups.a]
programs = ["web"]
[groups.b]
programs = ["worker"]
priority = -7
)");
    ASSERT_EQ(config.groups.size(), 2u);
    EXPECT_FALSE(config.groups[0].priority.has_value());
    EXPECT_EQ(config.groups[1].priority, -7);
}

TEST(Groups, ReportsPriorityThatIsNotAnInteger) {
    EXPECT_THAT(errors_of(kTwoPrograms + "[groups.b]\nprograms = [\"web\"]\npriority = \"high\"\n"),
                ElementsAre("/etc/superv/superv.toml:7:12: \"priority\" must be an integer, not a "
                            "string"));
}

TEST(Groups, ReportsDanglingMemberWithSuggestion) {
    EXPECT_THAT(errors_of(kTwoPrograms + "[groups.backend]\nprograms = [\"web\", \"workr\"]\n"),
                ElementsAre("/etc/superv/superv.toml:6:20: group \"backend\" lists program "
                            "\"workr\", which is not defined (did you mean \"worker\"?)"));
}

TEST(Groups, ReportsProgramListedTwiceInOneGroup) {
    EXPECT_THAT(errors_of(kTwoPrograms + "[groups.backend]\nprograms = [\"web\", \"web\"]\n"),
                ElementsAre("/etc/superv/superv.toml:6:20: program \"web\" is listed twice in "
                            "group \"backend\""));
}

TEST(Groups, ReportsProgramInTwoGroupsAtTheLaterOne) {
    EXPECT_THAT(errors_of(kTwoPrograms + R"([groups.front]
programs = ["web"]
[groups.back]
programs = ["worker", "web"]
)"),
                ElementsAre("/etc/superv/superv.toml:8:23: program \"web\" is already in group "
                            "\"front\"; a program belongs to one group"));
}

TEST(Groups, ReportsGroupNamedLikeAProgramOutsideIt) {
    EXPECT_THAT(errors_of(kTwoPrograms + "[groups.web]\nprograms = [\"worker\"]\n"),
                ElementsAre("/etc/superv/superv.toml:5:1: group \"web\" has the name of program "
                            "\"web\", which is not one of its members"));
}

TEST(Groups, AllowsGroupNamedLikeAProgramItContains) {
    Config config = load_ok(kTwoPrograms + "[groups.web]\nprograms = [\"web\", \"worker\"]\n");
    ASSERT_EQ(config.groups.size(), 1u);
    EXPECT_EQ(config.groups[0].programs, (std::vector<std::string>{"web", "worker"}));
}

TEST(Groups, ReportsGroupWithoutPrograms) {
    EXPECT_THAT(errors_of("[groups.empty]\n"),
                ElementsAre("/etc/superv/superv.toml:1:1: group \"empty\" has no \"programs\""));
    EXPECT_THAT(errors_of("[groups.empty]\nprograms = []\n"),
                ElementsAre("/etc/superv/superv.toml:2:12: group \"empty\" must list at least one "
                            "program"));
}

TEST(Groups, ReportsUnknownKeyAndNonStringMember) {
    EXPECT_THAT(errors_of(kTwoPrograms + "[groups.g]\nprogram = [\"web\"]\n"),
                ElementsAre("/etc/superv/superv.toml:5:1: group \"g\" has no \"programs\"",
                            "/etc/superv/superv.toml:6:1: unknown key \"program\" in [groups.g] "
                            "(did you mean \"programs\"?)"));
    EXPECT_THAT(errors_of(kTwoPrograms + "[groups.g]\nprograms = [\"web\", 1]\n"),
                ElementsAre("/etc/superv/superv.toml:6:20: every entry of \"programs\" must be a "
                            "program name, not an integer"));
}

TEST(Groups, ReportsBadGroupName) {
    EXPECT_THAT(errors_of(kTwoPrograms + "[groups.\"a b\"]\nprograms = [\"web\"]\n"),
                ElementsAre("/etc/superv/superv.toml:5:9: group name \"a b\" may contain only "
                            "letters, digits, \"_\", \".\" and \"-\""));
}

TEST(ProcessNames, ReportsProgramWhoseNameIsAnotherProgramsProcess) {
    EXPECT_THAT(errors_of(R"([programs.web]
command = "/bin/web"
numprocs = 2
[programs.web_01]
command = "/bin/other"
)"),
                ElementsAre("/etc/superv/superv.toml:4:1: process name \"web_01\" of program "
                            "\"web_01\" is already used by program \"web\" (numprocs = 2)"));
}

}  // namespace
}  // namespace superv::config

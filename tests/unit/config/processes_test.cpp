// From programs to processes: names, groups, order.
#include "superv/config/processes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "load_helpers.hpp"

namespace superv::config {
namespace {

using test_support::load_ok;

// "group:name" of every process, in order.
std::vector<std::string> full_names(const Config& config) {
    std::vector<std::string> names;
    for (const ProcessSpec& process : expand_processes(config))
        names.push_back(process.full_name());
    return names;
}

TEST(ExpandProcesses, SingleProcessIsItsOwnGroup) {
    Config config = load_ok("[programs.web]\ncommand = \"w\"\n");
    auto processes = expand_processes(config);
    ASSERT_EQ(processes.size(), 1u);
    EXPECT_EQ(processes[0].name, "web");
    EXPECT_EQ(processes[0].group, "web");
    EXPECT_EQ(processes[0].index, 0);
    EXPECT_EQ(processes[0].program->name, "web");
}

TEST(ExpandProcesses, NumprocsGivesNumberedProcessesInProgramGroup) {
    Config config = load_ok("[programs.web]\ncommand = \"w\"\nnumprocs = 3\n");
    EXPECT_THAT(full_names(config),
                ::testing::ElementsAre("web:web_00", "web:web_01", "web:web_02"));
    auto processes = expand_processes(config);
    EXPECT_EQ(processes[2].index, 2);
    EXPECT_EQ(processes[0].program, processes[2].program);  // one shared program config
}

TEST(ExpandProcesses, GroupTableOverridesProgramGroup) {
    Config config = load_ok(R"([programs.web]
command = "w"
numprocs = 2
[programs.worker]
command = "k"
[programs.cron]
command = "c"
[groups.backend]
programs = ["worker", "web"]
)");
    // File order of programs, not group member order.
    EXPECT_THAT(full_names(config), ::testing::ElementsAre("backend:web_00", "backend:web_01",
                                                           "backend:worker", "cron:cron"));
}

TEST(ProcessName, UsesTwoDigitsUpToOneHundredProcesses) {
    ProgramConfig program;
    program.name = "w";
    program.numprocs = 100;
    EXPECT_EQ(process_name(program, 0), "w_00");
    EXPECT_EQ(process_name(program, 99), "w_99");
    program.numprocs = 101;
    EXPECT_EQ(process_name(program, 0), "w_000");
    EXPECT_EQ(process_name(program, 100), "w_100");
    program.numprocs = 2;
    EXPECT_EQ(process_name(program, 1), "w_01");
    program.numprocs = 1;
    EXPECT_EQ(process_name(program, 0), "w");
}

TEST(DisplayName, IsTheBareNameForAProcessThatIsItsOwnGroup) {
    EXPECT_EQ(display_name("web:web"), "web");
    EXPECT_EQ(display_name("backend:web"), "backend:web");
    EXPECT_EQ(display_name("worker:worker_00"), "worker:worker_00");
    EXPECT_EQ(display_name("plain"), "plain");
    ProcessSpec spec{"web", "web", 0, nullptr};
    EXPECT_EQ(spec.display_name(), "web");
    spec.group = "backend";
    EXPECT_EQ(spec.display_name(), "backend:web");
}

}  // namespace
}  // namespace superv::config

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

TEST(ExpandProcesses, ProcessesTakeTheirGroupsPriorityWhereItHasOne) {
    Config config = load_ok(
        "[programs.a]\ncommand = \"a\"\npriority = 5\n"
        "[programs.b]\ncommand = \"b\"\npriority = 7\n"
        "[programs.c]\ncommand = \"c\"\npriority = 9\n"
        "[groups.g]\nprograms = [\"a\", \"b\"]\n");
    config.groups[0].priority = 100;  // an INI [group:g] priority
    auto processes = expand_processes(config);
    ASSERT_EQ(processes.size(), 3u);
    EXPECT_EQ(processes[0].priority, 100);
    EXPECT_EQ(processes[1].priority, 100);
    EXPECT_EQ(processes[2].priority, 9);           // in no group: its own
    EXPECT_EQ(processes[0].program->priority, 5);  // the program's own stays known
    config.groups[0].priority.reset();
    EXPECT_EQ(expand_processes(config)[1].priority, 7);
}

TEST(ExpandProcesses, DaemonEnvironmentIsAddedUnderEachProgramsOwn) {
    Config config = load_ok(
        "[programs.a]\ncommand = \"a\"\nenvironment = { X = \"mine\" }\n"
        "[programs.b]\ncommand = \"b\"\n");
    config.daemon.environment = {{"X", "daemon"}, {"Y", "daemon"}};
    auto processes = expand_processes(config);
    EXPECT_EQ(processes[0].program->environment,
              (std::map<std::string, std::string>{{"X", "mine"}, {"Y", "daemon"}}));
    EXPECT_EQ(processes[1].program->environment,
              (std::map<std::string, std::string>{{"X", "daemon"}, {"Y", "daemon"}}));
}

TEST(ExpandProcesses, ServerUrlComesFromTheFirstListenerUnlessTheProgramSetsOne) {
    Config config = load_ok("[programs.a]\ncommand = \"a\"\n[programs.b]\ncommand = \"b\"\n");
    EXPECT_EQ(expand_processes(config)[0].program->serverurl, "");  // no HTTP server
    HttpListener unix_socket;
    unix_socket.path = "/run/x.sock";
    HttpListener tcp;
    tcp.kind = HttpListener::Kind::Tcp;
    tcp.port = 9001;
    config.daemon.http = {unix_socket, tcp};
    config.programs[1].serverurl = "http://elsewhere:1";
    auto processes = expand_processes(config);
    EXPECT_EQ(processes[0].program->serverurl, "unix:///run/x.sock");
    EXPECT_EQ(processes[1].program->serverurl, "http://elsewhere:1");
    EXPECT_EQ(server_url(tcp), "http://localhost:9001");
    tcp.host = "127.0.0.1";
    EXPECT_EQ(server_url(tcp), "http://127.0.0.1:9001");
    tcp.host = "::1";
    EXPECT_EQ(server_url(tcp), "http://[::1]:9001");
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

// What a program is started with: the environment supervisord's programs
// expect, and its stdin.
#include "superv/core/launch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace superv::core {
namespace {

using ::testing::Contains;
using ::testing::Not;
using ::testing::StartsWith;

config::ProcessSpec spec_of(config::ProgramConfig program, std::string group = "backend") {
    config::ProcessSpec spec;
    spec.name = program.name;
    spec.group = std::move(group);
    spec.program = std::make_shared<const config::ProgramConfig>(std::move(program));
    return spec;
}

config::ProgramConfig web() {
    config::ProgramConfig program;
    program.name = "web";
    program.command = {"/bin/true"};
    return program;
}

std::vector<std::string> env_of(const config::ProcessSpec& spec, const SpawnExtras& fds = {}) {
    auto prepared = prepare_launch(spec, fds);
    EXPECT_TRUE(std::holds_alternative<Launch>(prepared));
    return std::get<Launch>(prepared).request.env;
}

TEST(LaunchTest, EveryProgramGetsSupervisordsVariablesAndSupervsOwn) {
    const auto env = env_of(spec_of(web()));
    EXPECT_THAT(env, Contains("SUPERVISOR_ENABLED=1"));
    EXPECT_THAT(env, Contains("SUPERVISOR_PROCESS_NAME=web"));
    EXPECT_THAT(env, Contains("SUPERVISOR_GROUP_NAME=backend"));
    EXPECT_THAT(env, Contains("SUPERV_PROCESS_NAME=web"));
    EXPECT_THAT(env, Contains("SUPERV_GROUP_NAME=backend"));
}

TEST(LaunchTest, TheServerUrlIsSetOnlyWhenThereIsOne) {
    EXPECT_THAT(env_of(spec_of(web())), Not(Contains(StartsWith("SUPERVISOR_SERVER_URL="))));
    auto program = web();
    program.serverurl = "unix:///run/superv-http.sock";
    EXPECT_THAT(env_of(spec_of(program)),
                Contains("SUPERVISOR_SERVER_URL=unix:///run/superv-http.sock"));
}

TEST(LaunchTest, TheProgramsOwnEnvironmentWinsOverSupervisordsVariables) {
    auto program = web();
    program.serverurl = "http://localhost:9001";
    program.environment = {{"SUPERVISOR_SERVER_URL", "http://elsewhere:1"},
                           {"SUPERVISOR_PROCESS_NAME", "mine"}};
    const auto env = env_of(spec_of(program));
    EXPECT_THAT(env, Contains("SUPERVISOR_SERVER_URL=http://elsewhere:1"));
    EXPECT_THAT(env, Contains("SUPERVISOR_PROCESS_NAME=mine"));
    EXPECT_THAT(env, Not(Contains("SUPERVISOR_PROCESS_NAME=web")));
}

TEST(LaunchTest, AClearedEnvironmentStillHasSupervisordsVariables) {
    auto program = web();
    program.clear_environment = true;
    EXPECT_THAT(env_of(spec_of(program)), Contains("SUPERVISOR_ENABLED=1"));
}

TEST(LaunchTest, StdinIsThePipeWhenThereIsOneElseDevNull) {
    auto with_pipe = prepare_launch(spec_of(web()), SpawnExtras{.stdin_fd = 42});
    EXPECT_EQ(std::get<Launch>(with_pipe).request.stdin_fd, 42);
    auto without = prepare_launch(spec_of(web()));
    const auto& launch = std::get<Launch>(without);
    ASSERT_GE(launch.request.stdin_fd, 0);
    EXPECT_NE(launch.request.stdin_fd, 42);
    ASSERT_EQ(launch.fds.size(), 1u);  // the /dev/null it owns
    EXPECT_EQ(launch.fds.front().get(), launch.request.stdin_fd);
}

}  // namespace
}  // namespace superv::core

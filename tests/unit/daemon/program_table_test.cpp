// `superv daemon -c FILE -- CMD`: the command line's program "main" beside
// the config's, and a superv.toml's [programs.main] that configures it.
#include "superv/daemon/program_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "superv/core/lifecycle.hpp"

namespace superv::daemon {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ProgramTable : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/superv-program-table-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        dir_ = pattern;
        options_.main_command = {"/bin/sleep", "100"};
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // Writes `text` as the config and loads the table.
    config::LoadResult load(const std::string& name, const std::string& text) {
        options_.config_path = dir_ + "/" + name;
        std::ofstream(options_.config_path) << text;
        return load_table(options_);
    }
    static const config::ProgramConfig* find(const config::Config& cfg, const std::string& name) {
        auto it = std::find_if(cfg.programs.begin(), cfg.programs.end(),
                               [&](const auto& p) { return p.name == name; });
        return it == cfg.programs.end() ? nullptr : &*it;
    }
    static std::vector<std::string> errors(const config::LoadResult& result) {
        std::vector<std::string> out;
        for (const auto& e : result.errors())
            out.push_back(e.to_string());
        return out;
    }

    std::string dir_;
    Options options_;
};

TEST_F(ProgramTable, TheCommandLineAddsMainBesideTheConfiguredPrograms) {
    auto result = load("superv.toml", "[programs.web]\ncommand = \"/bin/web\"\n");
    ASSERT_TRUE(result.ok());
    const config::ProgramConfig* main = find(result.config(), "main");
    ASSERT_NE(main, nullptr);
    EXPECT_EQ(main->command, options_.main_command);
    EXPECT_TRUE(main->critical);
    EXPECT_EQ(main->stopwaitsecs, core::kUnlimitedWait);
    EXPECT_NE(find(result.config(), "web"), nullptr);
}

TEST_F(ProgramTable, ProgramsMainSetsMainsKeysAndKeepsTheRestOfItsDefaults) {
    auto result = load("superv.toml",
                       "[programs.main]\nstopwaitsecs = 30\nstopsignal = \"QUIT\"\n"
                       "environment = { MODE = \"prod\" }\n");
    ASSERT_TRUE(result.ok()) << ::testing::PrintToString(errors(result));
    ASSERT_EQ(result.config().programs.size(), 1u);
    const config::ProgramConfig& main = result.config().programs[0];
    EXPECT_EQ(main.command, options_.main_command);
    EXPECT_EQ(main.stopwaitsecs, std::chrono::duration_cast<config::Millis>(30s));
    EXPECT_EQ(main.stopsignal, SIGQUIT);
    EXPECT_EQ(main.environment.at("MODE"), "prod");
    EXPECT_TRUE(main.critical);                               // main_program's, not the
    EXPECT_EQ(main.autorestart, config::AutoRestart::Never);  // configured defaults
    EXPECT_EQ(main.startsecs, config::Millis(0));
}

TEST_F(ProgramTable, ACommandInProgramsMainIsAnErrorAtItsPosition) {
    auto result = load("superv.toml", "[programs.main]\ncommand = \"/bin/other\"\n");
    ASSERT_FALSE(result.ok());
    EXPECT_THAT(errors(result), ElementsAre(HasSubstr("superv.toml:2:11: [programs.main] sets a "
                                                      "\"command\"")));
}

TEST_F(ProgramTable, WithoutTheCommandLineProgramsMainIsAnOrdinaryProgram) {
    options_.main_command.clear();
    auto result = load("superv.toml", "[programs.main]\nstopwaitsecs = 30\n");
    EXPECT_THAT(errors(result), ElementsAre(HasSubstr("program \"main\" has no \"command\"")));
}

TEST_F(ProgramTable, ASupervisordProgramMainClashesWithTheCommandLine) {
    auto result =
        load("supervisord.conf", "[supervisord]\n\n[program:main]\ncommand = /bin/true\n");
    EXPECT_THAT(errors(result), ElementsAre(HasSubstr("a program named \"main\" clashes with the "
                                                      "command given after --")));
}

}  // namespace
}  // namespace superv::daemon

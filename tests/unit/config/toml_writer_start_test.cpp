// to_toml and the start-order keys: type, depends_on, ready and
// ready_timeout are written back in their shortest spelling and load to the
// same values, entries in the same order.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "round_trip.hpp"

namespace superv::config {
namespace {

using test_support::expect_round_trip;
using test_support::load_ok;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kTargets = R"([programs.db]
command = "/bin/db"
ready = "notify"
ready_timeout = 30
healthcheck = { tcp = 5432 }
[programs.migrate]
command = "/bin/migrate"
type = "oneshot"
[programs."my.cache"]
command = "/bin/cache"
)";

// Round trip, and the entries keep their order and conditions.
void expect_same_dependencies(const std::string& toml) {
    const Config first = load_ok(toml);
    const Config second = expect_round_trip(toml);
    ASSERT_EQ(first.programs.size(), second.programs.size());
    for (std::size_t i = 0; i < first.programs.size(); ++i) {
        const auto& a = first.programs[i].depends_on;
        const auto& b = second.programs[i].depends_on;
        ASSERT_EQ(a.size(), b.size()) << first.programs[i].name;
        for (std::size_t k = 0; k < a.size(); ++k) {
            EXPECT_EQ(a[k].target, b[k].target);
            EXPECT_EQ(a[k].condition, b[k].condition) << a[k].target;
        }
    }
}

TEST(TomlWriterStart, WritesAListWhenEveryConditionIsReady) {
    const std::string text =
        to_toml(load_ok(kTargets + "[programs.web]\ncommand = \"/bin/web\"\n"
                                   "depends_on = [\"migrate\", \"db\", \"my.cache\"]\n"));
    EXPECT_THAT(text, HasSubstr("\ndepends_on = [\"migrate\", \"db\", \"my.cache\"]\n"));
    EXPECT_THAT(text, HasSubstr("[programs.migrate]\ncommand = [\"/bin/migrate\"]\n"
                                "type = \"oneshot\"\n"));
    EXPECT_THAT(text, HasSubstr("ready = \"notify\"\nready_timeout = 30\n"));
}

TEST(TomlWriterStart, WritesATableInEntryOrderOtherwise) {
    const std::string toml = kTargets + R"([programs.web]
command = "/bin/web"
depends_on = { migrate = "completed", db = "started", "my.cache" = "running" }
[programs.api]
command = "/bin/api"
depends_on = { db = "healthy", migrate = "ready" }
)";
    EXPECT_THAT(to_toml(load_ok(toml)),
                HasSubstr("depends_on = { migrate = \"completed\", db = \"started\", "
                          "\"my.cache\" = \"running\" }\n"));
    expect_same_dependencies(toml);
}

TEST(TomlWriterStart, RoundTripsEveryReadyKind) {
    for (const std::string ready :
         {"\"notify\"", "\"healthy\"", "{ fd = 3 }", "{ fd = 1023 }", "{ tcp = 5432 }",
          "{ tcp = \"10.1.2.3:80\" }", "{ tcp = \"[::1]:8080\" }", "{ tcp = \"localhost:6379\" }",
          R"({ log = "^listening on \"[^\"]+\" \\d+$" })"}) {
        const std::string toml =
            "[programs.p]\ncommand = \"/bin/p\"\nstdout_logfile = \"/l\"\n"
            "ready = " +
            ready + "\nready_timeout = 0.5\n[programs.p.healthcheck]\ntcp = 80\n";
        const Config second = expect_round_trip(toml);
        EXPECT_EQ(second.programs.at(0).ready, load_ok(toml).programs.at(0).ready) << ready;
    }
}

TEST(TomlWriterStart, WritesReadyTcpInItsShortestForm) {
    auto written = [](const std::string& value) {
        return to_toml(
            load_ok("[programs.p]\ncommand = \"/bin/p\"\nready = { tcp = " + value + " }\n"));
    };
    EXPECT_THAT(written("\"127.0.0.1:5432\""), HasSubstr("ready = { tcp = 5432 }\n"));
    EXPECT_THAT(written("\"[::1]:5432\""), HasSubstr("ready = { tcp = \"[::1]:5432\" }\n"));
}

TEST(TomlWriterStart, LeavesOutTheDefaults) {
    const std::string text =
        to_toml(load_ok("[programs.p]\ncommand = \"/bin/p\"\ntype = \"simple\"\ndepends_on = []\n"
                        "ready = \"notify\"\nready_timeout = 90\n"));
    EXPECT_EQ(text, "[programs.p]\ncommand = [\"/bin/p\"]\nready = \"notify\"\n");
}

TEST(TomlWriterStart, DoesNotFoldProgramsThatAreTargets) {
    // An INI-style group of numbered programs folds into one program with
    // numprocs, unless a depends_on names a member: it would dangle.
    Config config = load_ok(R"([programs.w_00]
command = "/bin/w"
[programs.w_01]
command = "/bin/w"
[groups.w]
programs = ["w_00", "w_01"]
[programs.web]
command = "/bin/web"
depends_on = ["w_01"]
)");
    const std::string text = to_toml(config);
    EXPECT_THAT(text, Not(HasSubstr("numprocs")));
    expect_same_dependencies(text);
    config.programs.back().depends_on.front().target = "w";  // the group: folding keeps it
    EXPECT_THAT(to_toml(config), HasSubstr("numprocs = 2"));
}

}  // namespace
}  // namespace superv::config

// What a health check means for the rest of the config: `ready = "healthy"`
// and `healthy` conditions need one, a oneshot cannot have one, `update`
// sees a changed one, and to_toml() writes it back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "round_trip.hpp"

namespace superv::config {
namespace {

using test_support::errors_of;
using test_support::expect_round_trip;
using test_support::load_ok;
using test_support::program;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kCheck = "[programs.db.healthcheck]\ntcp = 5432\n";

TEST(HealthCheckRules, ReadyHealthyNeedsAHealthCheck) {
    EXPECT_THAT(errors_of(program("web", "ready = \"healthy\"\n")),
                ElementsAre("/etc/superv/superv.toml:3:9: ready = \"healthy\" needs a health "
                            "check ([programs.web.healthcheck]): without one program \"web\" "
                            "never turns healthy"));
    Config config =
        load_ok(program("web", "ready = \"healthy\"\n") + "[programs.web.healthcheck]\ntcp = 80\n");
    EXPECT_EQ(config.programs.at(0).ready.kind, Readiness::Kind::Healthy);
    EXPECT_EQ(config.programs.at(0).healthcheck.kind, HealthCheck::Kind::Tcp);
}

TEST(HealthCheckRules, AHealthyConditionNeedsAHealthCheckInItsTarget) {
    EXPECT_THAT(errors_of(program("db") + program("web", "depends_on = { db = \"healthy\" }\n")),
                ElementsAre("/etc/superv/superv.toml:5:16: condition \"healthy\" on \"db\" never "
                            "holds: program \"db\" has no health check; give it a "
                            "[programs.db.healthcheck] or use \"ready\""));
    Config config =
        load_ok(program("db") + kCheck + program("web", "depends_on = { db = \"healthy\" }\n"));
    EXPECT_EQ(config.programs.at(1).depends_on.at(0).condition, Condition::Healthy);
}

TEST(HealthCheckRules, AHealthyConditionOnAGroupNeedsAHealthCheckInEveryMember) {
    const std::string members = program("db") + kCheck + program("a") + program("b") +
                                "[groups.data]\nprograms = [\"db\", \"a\", \"b\"]\n" +
                                "[groups.one]\nprograms = [\"c\"]\n" + program("c");
    EXPECT_THAT(errors_of(members + program("web", "depends_on = { data = \"healthy\" }\n")),
                ElementsAre("/etc/superv/superv.toml:17:16: condition \"healthy\" on group "
                            "\"data\" never holds: its members \"a\" and \"b\" have no health "
                            "check; give each a [programs.NAME.healthcheck] or use \"ready\""));
    EXPECT_THAT(errors_of(members + program("web", "depends_on = { one = \"healthy\" }\n")),
                ElementsAre("/etc/superv/superv.toml:17:16: condition \"healthy\" on group "
                            "\"one\" never holds: its member \"c\" has no health check; give it "
                            "a [programs.c.healthcheck] or use \"ready\""));
    EXPECT_THAT(errors_of(program("db") + kCheck + "[groups.data]\nprograms = [\"db\"]\n" +
                          program("web", "depends_on = { data = \"healthy\" }\n")),
                IsEmpty());
}

TEST(HealthCheckRules, ATargetWhoseCheckIsRejectedIsNotReportedAsUncheckedToo) {
    EXPECT_THAT(errors_of(program("db") + "[programs.db.healthcheck]\ntcp = 70000\n" +
                          program("web", "depends_on = { db = \"healthy\" }\n")),
                ElementsAre("/etc/superv/superv.toml:4:7: port 70000 in \"tcp\" is outside "
                            "1..65535"));
}

TEST(HealthCheckRules, AOneshotCannotHaveOne) {
    EXPECT_THAT(errors_of(program("migrate", "type = \"oneshot\"\n") +
                          "[programs.migrate.healthcheck]\nexec = \"/bin/check\"\n"),
                ElementsAre("/etc/superv/superv.toml:4:1: \"healthcheck\" does not apply to "
                            "oneshot program \"migrate\": a oneshot is not up long enough to "
                            "check"));
}

TEST(HealthCheckRules, UpdateSeesAChangedCheckButNotAMovedOne) {
    const ProgramConfig a = load_ok(program("db") + kCheck).programs.at(0);
    const ProgramConfig moved = load_ok("\n\n" + program("db") + kCheck).programs.at(0);
    const ProgramConfig slower = load_ok(program("db") + kCheck + "interval = 30\n").programs.at(0);
    const ProgramConfig none = load_ok(program("db")).programs.at(0);
    EXPECT_NE(a.healthcheck.pos, moved.healthcheck.pos);
    EXPECT_TRUE(a.same_options(moved));
    EXPECT_FALSE(a.same_options(slower));
    EXPECT_FALSE(a.same_options(none));
}

TEST(HealthCheckRules, ToTomlWritesTheTableAfterItsProgram) {
    const std::string text = to_toml(
        load_ok(program("web") +
                "[programs.web.healthcheck]\nhttp = \"http://localhost:8080/up\"\ninterval = 5\n"
                "timeout = 0.5\nretries = 2\nstart_period = 30\non_unhealthy = \"none\"\n"));
    EXPECT_THAT(text, HasSubstr("[programs.web]\ncommand = [\"/bin/web\"]\n\n"
                                "[programs.web.healthcheck]\nhttp = \"http://localhost:8080/up\"\n"
                                "interval = 5\ntimeout = 0.5\nretries = 2\nstart_period = 30\n"
                                "on_unhealthy = \"none\"\n"));
    EXPECT_THAT(to_toml(load_ok(program("db") + kCheck)),
                HasSubstr("[programs.db.healthcheck]\ntcp = 5432\n"));
}

TEST(HealthCheckRules, EveryProbeRoundTrips) {
    for (const std::string probe :
         {"http = \"http://127.0.0.1:8080/healthz?x=1\"", "http = \"http://[::1]/\"", "tcp = 5432",
          "tcp = \"10.0.0.5:80\"", "tcp = \"[::1]:80\"", "exec = [\"/bin/check\", \"a b\"]",
          "exec = \"/bin/check --quick\""}) {
        const std::string toml = program("p", "ready = \"healthy\"\n") +
                                 "[programs.p.healthcheck]\n" + probe +
                                 "\ninterval = 2.5\ntimeout = 1\nretries = 7\n";
        const Config second = expect_round_trip(toml);
        EXPECT_EQ(second.programs.at(0).healthcheck, load_ok(toml).programs.at(0).healthcheck)
            << probe;
    }
}

}  // namespace
}  // namespace superv::config

// `type`, `depends_on`, `ready` and `ready_timeout` of one program: their
// defaults, each spelling, and each bad value at its exact position.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "load_helpers.hpp"
#include "superv/config/compiled_regex.hpp"

namespace superv::config {
namespace {

using namespace std::chrono_literals;
using test_support::errors_of;
using test_support::load_ok;
using test_support::program_from;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// [programs.db] and [groups.data] to depend on, then [programs.web] with
// `line` as its line 7.
const std::string kTargets =
    "[programs.db]\ncommand = \"/bin/db\"\n"
    "[groups.data]\nprograms = [\"db\"]\n"
    "[programs.web]\ncommand = \"/bin/web\"\n";

ProgramConfig web_with(const std::string& line) {
    Config config = load_ok(kTargets + line + "\n");
    if (config.programs.size() != 2) return {};
    return config.programs[1];
}

std::vector<std::string> web_errors(const std::string& line) {
    return errors_of(kTargets + line + "\n");
}

// Line 3 of a [programs.p] table with command and stdout_logfile captured.
std::vector<std::string> p_errors(const std::string& line) {
    return errors_of("[programs.p]\ncommand = \"/bin/p\"\n" + line + "\n");
}

std::vector<std::pair<std::string, Condition>> entries(const ProgramConfig& program) {
    std::vector<std::pair<std::string, Condition>> out;
    for (const Dependency& d : program.depends_on)
        out.emplace_back(d.target, d.condition);
    return out;
}

TEST(StartKeys, DefaultsAreALongRunningProgramWithoutDependenciesOrReadiness) {
    ProgramConfig p = program_from("");
    EXPECT_EQ(p.type, ProgramType::Long);
    EXPECT_TRUE(p.depends_on.empty());
    EXPECT_EQ(p.ready.kind, Readiness::Kind::None);
    EXPECT_EQ(p.ready_timeout, 90s);
}

TEST(StartKeys, TypeIsSimpleOrOneshot) {
    EXPECT_EQ(program_from("type = \"simple\"").type, ProgramType::Long);
    EXPECT_EQ(program_from("type = \"oneshot\"").type, ProgramType::Oneshot);
    EXPECT_THAT(p_errors("type = \"oneshoot\""),
                ElementsAre("/etc/superv/superv.toml:3:8: \"type\" must be \"simple\" or "
                            "\"oneshot\", not \"oneshoot\" (did you mean \"oneshot\"?)"));
    EXPECT_THAT(p_errors("type = 1"), ElementsAre("/etc/superv/superv.toml:3:8: \"type\" must be "
                                                  "a string, not an integer"));
}

TEST(StartKeys, AListOfTargetsWaitsForEachToBeReady) {
    ProgramConfig web = web_with("depends_on = [\"db\", \"data\"]");
    EXPECT_THAT(entries(web), ElementsAre(std::pair{"db", Condition::Ready},
                                          std::pair{"data", Condition::Ready}));
    ASSERT_THAT(web.depends_on, SizeIs(2));
    EXPECT_EQ(web.depends_on[0].pos, (SourcePos{test_support::kFile, 7, 15}));
    EXPECT_EQ(web.depends_on[1].pos, (SourcePos{test_support::kFile, 7, 21}));
}

TEST(StartKeys, ATableGivesEachTargetItsConditionInFileOrder) {
    Config config = load_ok(R"([programs.migrate]
command = "/bin/migrate"
type = "oneshot"
[programs.db]
command = "/bin/db"
[programs.web]
command = "/bin/web"
depends_on = { migrate = "completed", db = "started", "data" = "running" }
[groups.data]
programs = ["db"]
)");
    ASSERT_THAT(config.programs, SizeIs(3));
    const ProgramConfig& web = config.programs[2];
    EXPECT_THAT(entries(web), ElementsAre(std::pair{"migrate", Condition::Completed},
                                          std::pair{"db", Condition::Started},
                                          std::pair{"data", Condition::Running}));
    EXPECT_EQ(web.depends_on[0].pos, (SourcePos{test_support::kFile, 8, 16}));
    EXPECT_EQ(web.depends_on[1].pos, (SourcePos{test_support::kFile, 8, 39}));
}

TEST(StartKeys, EveryConditionHasItsName) {
    EXPECT_THAT(entries(web_with("depends_on = { db = \"ready\" }")),
                ElementsAre(std::pair{"db", Condition::Ready}));
    EXPECT_TRUE(web_with("depends_on = []").depends_on.empty());
    EXPECT_TRUE(web_with("depends_on = {}").depends_on.empty());
}

TEST(StartKeys, ReportsBadDependsOnEntriesAtTheirPositions) {
    EXPECT_THAT(web_errors("depends_on = \"db\""),
                ElementsAre("/etc/superv/superv.toml:7:14: \"depends_on\" must be a list of "
                            "programs like [\"db\"] or a table like { db = \"ready\" }, not a "
                            "string"));
    EXPECT_THAT(web_errors("depends_on = [\"db\", 3, \"\"]"),
                ElementsAre("/etc/superv/superv.toml:7:21: every entry of \"depends_on\" must be "
                            "a program or group name, not an integer",
                            "/etc/superv/superv.toml:7:24: a target in \"depends_on\" must not be "
                            "empty"));
    EXPECT_THAT(web_errors("depends_on = [\"db\", \"db\"]"),
                ElementsAre("/etc/superv/superv.toml:7:21: \"db\" is listed twice in "
                            "\"depends_on\""));
}

TEST(StartKeys, ReportsUnknownConditionsWithASuggestionOrTheList) {
    EXPECT_THAT(web_errors("depends_on = { db = \"redy\" }"),
                ElementsAre("/etc/superv/superv.toml:7:21: unknown condition \"redy\" on \"db\" "
                            "(did you mean \"ready\"?)"));
    EXPECT_THAT(web_errors("depends_on = { db = \"up\" }"),
                ElementsAre("/etc/superv/superv.toml:7:21: unknown condition \"up\" on \"db\" "
                            "(one of started, running, ready, healthy, completed)"));
    EXPECT_THAT(web_errors("depends_on = { db = true }"),
                ElementsAre("/etc/superv/superv.toml:7:21: the condition on \"db\" in "
                            "\"depends_on\" must be a string, not a boolean"));
}

TEST(StartKeys, ReadyTakesEveryKind) {
    EXPECT_EQ(program_from("ready = \"notify\"").ready.kind, Readiness::Kind::Notify);
    EXPECT_EQ(program_from("ready = \"healthy\"\nhealthcheck = { tcp = 80 }").ready.kind,
              Readiness::Kind::Healthy);
    Readiness fd = program_from("ready = { fd = 3 }").ready;
    EXPECT_EQ(fd.kind, Readiness::Kind::Fd);
    EXPECT_EQ(fd.fd, 3);
    Readiness log = program_from(
                        "stdout_logfile = \"/var/log/p.log\"\n"
                        "ready = { log = \"listening on [0-9]+\" }")
                        .ready;
    EXPECT_EQ(log.kind, Readiness::Kind::Log);
    EXPECT_EQ(log.pattern, "listening on [0-9]+");
}

TEST(StartKeys, ALogPatternIsCompiledOnceAtLoadAndSharedByCopies) {
    const Readiness log = program_from(
                              "stdout_logfile = \"/var/log/p.log\"\n"
                              "ready = { log = \"listening on [0-9]+\" }")
                              .ready;
    ASSERT_NE(log.compiled, nullptr);
    EXPECT_TRUE(std::regex_search("now listening on 8080", log.compiled->regex));
    EXPECT_FALSE(std::regex_search("listening on port", log.compiled->regex));
    const Readiness copy = log;
    EXPECT_EQ(copy.compiled, log.compiled);
    // Equality is the pattern's: a config diff sees no change between two loads.
    Readiness reloaded = log;
    reloaded.compiled = nullptr;
    EXPECT_EQ(reloaded, log);
    EXPECT_EQ(program_from("ready = \"notify\"").ready.compiled, nullptr);
}

TEST(StartKeys, ReadyTcpTakesAPortOnLoopbackOrAnAddress) {
    auto tcp = [](const std::string& value) {
        Readiness r = program_from("ready = { tcp = " + value + " }").ready;
        EXPECT_EQ(r.kind, Readiness::Kind::Tcp) << value;
        return r.host + " " + std::to_string(r.port);
    };
    EXPECT_EQ(tcp("5432"), "127.0.0.1 5432");
    EXPECT_EQ(tcp("\"10.0.0.2:6379\""), "10.0.0.2 6379");
    EXPECT_EQ(tcp("\"[::1]:8080\""), "::1 8080");
    EXPECT_EQ(tcp("\"localhost:80\""), "127.0.0.1 80");
}

TEST(StartKeys, ReportsBadReadyValuesAtTheirPositions) {
    EXPECT_THAT(p_errors("ready = \"notfy\""),
                ElementsAre("/etc/superv/superv.toml:3:9: \"ready\" must be one of \"notify\", "
                            "\"healthy\", { fd = N }, { tcp = PORT }, { tcp = \"HOST:PORT\" } or "
                            "{ log = \"REGEX\" }, not \"notfy\" (did you mean \"notify\"?)"));
    EXPECT_THAT(p_errors("ready = 3"),
                ElementsAre(HasSubstr("3:9: \"ready\" must be \"notify\", \"healthy\", { fd = N "
                                      "}, { tcp = PORT }, { tcp = \"HOST:PORT\" } or { log = "
                                      "\"REGEX\" }, not an integer")));
    EXPECT_THAT(p_errors("ready = {}"), ElementsAre(HasSubstr("3:9: \"ready\" must be one of")));
    EXPECT_THAT(p_errors("ready = { fd = 2 }"),
                ElementsAre("/etc/superv/superv.toml:3:16: \"fd\" must be at least 3, not 2"));
    EXPECT_THAT(p_errors("ready = { file = 3 }"),
                ElementsAre("/etc/superv/superv.toml:3:11: unknown key \"file\" in \"ready\" "
                            "(one of fd, tcp, log)"));
    EXPECT_THAT(p_errors("ready = { tcp = 80, fd = 3 }"),
                ElementsAre("/etc/superv/superv.toml:3:21: \"ready\" takes one of fd, tcp and "
                            "log, not both \"tcp\" and \"fd\""));
}

TEST(StartKeys, ReportsBadTcpAddresses) {
    EXPECT_THAT(p_errors("ready = { tcp = 70000 }"),
                ElementsAre("/etc/superv/superv.toml:3:17: port 70000 in \"tcp\" is outside "
                            "1..65535"));
    EXPECT_THAT(p_errors("ready = { tcp = \"db:5432\" }"),
                ElementsAre("/etc/superv/superv.toml:3:17: \"tcp\" address \"db:5432\" needs an "
                            "IP address (or localhost) as its host: readiness checks look up no "
                            "names"));
    EXPECT_THAT(p_errors("ready = { tcp = \"::1:5432\" }"),
                ElementsAre(HasSubstr("has an IPv6 address without brackets; write it as "
                                      "\"[::1]:5432\"")));
    EXPECT_THAT(p_errors("ready = { tcp = \"[db]:5432\" }"),
                ElementsAre(HasSubstr("has no IPv6 address in its brackets")));
    EXPECT_THAT(p_errors("ready = { tcp = \"127.0.0.1\" }"),
                ElementsAre(HasSubstr("must be \"HOST:PORT\" (e.g. \"127.0.0.1:5432\", "
                                      "\"[::1]:5432\") or a port number")));
    EXPECT_THAT(p_errors("ready = { tcp = \"127.0.0.1:0\" }"),
                ElementsAre(HasSubstr("needs a port between 1 and 65535 after the last \":\"")));
    EXPECT_THAT(p_errors("ready = { tcp = true }"),
                ElementsAre("/etc/superv/superv.toml:3:17: \"tcp\" must be a port number or "
                            "\"HOST:PORT\", not a boolean"));
}

TEST(StartKeys, ReportsALogPatternThatIsNoRegex) {
    auto errors = p_errors("stdout_logfile = \"/tmp/p.log\"\nready = { log = \"ready (\" }");
    ASSERT_THAT(errors, SizeIs(1));
    EXPECT_THAT(errors[0], HasSubstr("/etc/superv/superv.toml:4:17: \"log\" is not a valid "
                                     "regular expression: "));
}

TEST(StartKeys, ALogPatternNeedsCapturedOutput) {
    EXPECT_THAT(p_errors("ready = { log = \"up\" }"),
                ElementsAre("/etc/superv/superv.toml:3:9: ready = { log = ... } matches the "
                            "program's captured output, but program \"p\" captures none: set "
                            "\"stdout_logfile\" (or \"stderr_logfile\") to a file"));
    // stderr captured on its own is enough; redirected into an uncaptured stdout it is not.
    EXPECT_THAT(p_errors("stderr_logfile = \"/tmp/e.log\"\nready = { log = \"up\" }"), SizeIs(0));
    EXPECT_THAT(p_errors("stderr_logfile = \"/tmp/e.log\"\nredirect_stderr = true\n"
                         "ready = { log = \"up\" }"),
                SizeIs(1));
}

TEST(StartKeys, AReadyFdStaysBelowTheOpenFileLimit) {
    EXPECT_EQ(program_from("ready = { fd = 1023 }").ready.fd, 1023);
    EXPECT_THAT(p_errors("ready = { fd = 1024 }"),
                ElementsAre("/etc/superv/superv.toml:3:16: ready fd 1024 is not below 1024, the "
                            "usual soft RLIMIT_NOFILE; raise it with rlimits = { nofile = ... } "
                            "or pick a lower fd"));
    EXPECT_EQ(program_from("rlimits = { nofile = 4096 }\nready = { fd = 2000 }").ready.fd, 2000);
    EXPECT_THAT(p_errors("rlimits = { nofile = { soft = 64, hard = 4096 } }\n"
                         "ready = { fd = 64 }"),
                ElementsAre("/etc/superv/superv.toml:4:16: ready fd 64 is not below the "
                            "program's soft RLIMIT_NOFILE (rlimits nofile = 64)"));
}

TEST(StartKeys, ReadyTimeoutIsADurationWithReady) {
    EXPECT_EQ(program_from("ready = \"notify\"\nready_timeout = 2.5").ready_timeout, 2500ms);
    EXPECT_EQ(program_from("ready = \"notify\"\nready_timeout = 0").ready_timeout, 0ms);
    EXPECT_THAT(p_errors("ready_timeout = 5"),
                ElementsAre("/etc/superv/superv.toml:3:17: \"ready_timeout\" needs \"ready\" in "
                            "[programs.p]: without it the program is ready once RUNNING"));
    EXPECT_THAT(p_errors("ready = \"notify\"\nready_timeout = -1"),
                ElementsAre("/etc/superv/superv.toml:4:17: \"ready_timeout\" must not be "
                            "negative"));
}

TEST(StartKeys, AOneshotNeitherRestartsAlwaysNorHasReadiness) {
    EXPECT_EQ(program_from("type = \"oneshot\"\nautorestart = \"never\"").autorestart,
              AutoRestart::Never);
    EXPECT_THAT(p_errors("type = \"oneshot\"\nautorestart = \"always\""),
                ElementsAre("/etc/superv/superv.toml:4:15: \"autorestart\" = \"always\" "
                            "contradicts type = \"oneshot\" in program \"p\": a oneshot that "
                            "completed is not run again (use \"on-failure\" or \"never\")"));
    EXPECT_THAT(p_errors("type = \"oneshot\"\nready = \"notify\""),
                ElementsAre("/etc/superv/superv.toml:4:9: \"ready\" does not apply to oneshot "
                            "program \"p\": a oneshot is done when it exits"));
    EXPECT_THAT(p_errors("type = \"oneshot\"\nready_timeout = 5"),
                ElementsAre("/etc/superv/superv.toml:4:17: \"ready_timeout\" does not apply to "
                            "oneshot program \"p\": a oneshot is done when it exits"));
}

}  // namespace
}  // namespace superv::config

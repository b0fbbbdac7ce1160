// [programs.NAME.healthcheck]: its defaults, every probe's spellings, and
// each bad value at its exact position.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "load_helpers.hpp"

namespace superv::config {
namespace {

using namespace std::chrono_literals;
using test_support::errors_of;
using test_support::load_ok;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// [programs.p] with the check's header on line 3 and `body` from line 4.
const std::string kHead = "[programs.p]\ncommand = \"/bin/p\"\n[programs.p.healthcheck]\n";

HealthCheck check_of(const std::string& body) {
    Config config = load_ok(kHead + body + "\n");
    if (config.programs.size() != 1) return {};
    return config.programs[0].healthcheck;
}

std::vector<std::string> check_errors(const std::string& body) {
    return errors_of(kHead + body + "\n");
}

std::string at(int line, int column, const std::string& message) {
    return "/etc/superv/superv.toml:" + std::to_string(line) + ":" + std::to_string(column) + ": " +
           message;
}

// A table body and the one error it makes.
struct BadBody {
    std::string body;
    int line;
    int column;
    std::string message;
};

// `body` makes one error, `message` at LINE:COL.
void expect_error(const std::string& body, int line, int column, const std::string& message) {
    EXPECT_THAT(check_errors(body), ElementsAre(at(line, column, message))) << body;
}

TEST(HealthCheck, AProgramHasNoneUnlessItsTableIsThere) {
    Config config = load_ok("[programs.p]\ncommand = \"/bin/p\"\n");
    EXPECT_EQ(config.programs.at(0).healthcheck.kind, HealthCheck::Kind::None);
}

TEST(HealthCheck, DefaultsAreDockersKnobs) {
    HealthCheck check = check_of("tcp = 8080");
    EXPECT_EQ(check.kind, HealthCheck::Kind::Tcp);
    EXPECT_EQ(check.interval, 10s);
    EXPECT_EQ(check.timeout, 2s);
    EXPECT_EQ(check.retries, 3);
    EXPECT_EQ(check.start_period, 0s);
    EXPECT_TRUE(check.restart_on_unhealthy);
    EXPECT_EQ(check.pos, (SourcePos{test_support::kFile, 3, 1}));
}

TEST(HealthCheck, ReadsEveryKnob) {
    HealthCheck check = check_of(
        "tcp = 8080\ninterval = 1.5\ntimeout = 0.25\nretries = 1\nstart_period = 30\n"
        "on_unhealthy = \"none\"");
    EXPECT_EQ(check.interval, 1500ms);
    EXPECT_EQ(check.timeout, 250ms);
    EXPECT_EQ(check.retries, 1);
    EXPECT_EQ(check.start_period, 30s);
    EXPECT_FALSE(check.restart_on_unhealthy);
    EXPECT_TRUE(check_of("tcp = 1\non_unhealthy = \"restart\"").restart_on_unhealthy);
}

TEST(HealthCheck, AnInlineTableIsTheSameCheck) {
    Config config =
        load_ok("[programs.p]\ncommand = \"/bin/p\"\nhealthcheck = { tcp = 80, retries = 5 }\n");
    const HealthCheck& check = config.programs.at(0).healthcheck;
    EXPECT_EQ(check.kind, HealthCheck::Kind::Tcp);
    EXPECT_EQ(check.port, 80);
    EXPECT_EQ(check.retries, 5);
    EXPECT_EQ(check, check_of("tcp = 80\nretries = 5"));
}

TEST(HealthCheck, HttpTakesHostPortPathAndQueryFromTheUrl) {
    HealthCheck check = check_of("http = \"http://127.0.0.1:8080/healthz\"");
    EXPECT_EQ(check.kind, HealthCheck::Kind::Http);
    EXPECT_EQ(check.url, "http://127.0.0.1:8080/healthz");
    EXPECT_EQ(check.host, "127.0.0.1");
    EXPECT_EQ(check.port, 8080);
    EXPECT_EQ(check.host_header, "127.0.0.1:8080");
    EXPECT_EQ(check.path, "/healthz");

    HealthCheck v6 = check_of("http = \"http://[::1]:9000/status?full=1&x=%20\"");
    EXPECT_EQ(v6.host, "::1");
    EXPECT_EQ(v6.port, 9000);
    EXPECT_EQ(v6.host_header, "[::1]:9000");
    EXPECT_EQ(v6.path, "/status?full=1&x=%20");
}

TEST(HttpCheck, PortDefaultsTo80AndPathToTheRoot) {
    HealthCheck check = check_of("http = \"http://10.0.0.5\"");
    EXPECT_EQ(check.port, 80);
    EXPECT_EQ(check.path, "/");
    EXPECT_EQ(check.host_header, "10.0.0.5");
    EXPECT_EQ(check_of("http = \"http://10.0.0.5?probe=1\"").path, "/?probe=1");
    EXPECT_EQ(check_of("http = \"http://[fe80::1]/\"").host_header, "[fe80::1]");
}

TEST(HttpCheck, LocalhostConnectsTo127001ButKeepsItsHostHeader) {
    HealthCheck check = check_of("http = \"http://localhost:3000/up\"");
    EXPECT_EQ(check.host, "127.0.0.1");
    EXPECT_EQ(check.host_header, "localhost:3000");
    EXPECT_EQ(check.path, "/up");
    EXPECT_EQ(check_of("http = \"http://localhost\"").host_header, "localhost");
}

TEST(HttpCheck, TheFragmentIsNeverSentAndTheSchemeIgnoresCase) {
    EXPECT_EQ(check_of("http = \"http://127.0.0.1/a#top\"").path, "/a");
    EXPECT_EQ(check_of("http = \"HTTP://127.0.0.1/a\"").path, "/a");
}

// The one error of `http = "URL"` on line 4: "\"http\" URL \"URL\" <reason>".
void expect_url_error(const std::string& url, const std::string& reason) {
    expect_error("http = \"" + url + "\"", 4, 8, "\"http\" URL \"" + url + "\" " + reason);
}

TEST(HttpCheck, HttpsIsNotSupportedAndSaysWhatToUseInstead) {
    expect_url_error("https://127.0.0.1/healthz",
                     "uses https, which health checks do not support: they speak plain HTTP (use "
                     "a tcp check, or an exec check that runs curl)");
}

TEST(HttpCheck, ReportsOtherSchemesAndAMissingOne) {
    expect_url_error("ftp://127.0.0.1/", "has scheme \"ftp\"; health checks speak only http://");
    expect_url_error("127.0.0.1:8080/healthz",
                     "has no scheme; write it as http://HOST[:PORT][/PATH]");
}

TEST(HttpCheck, ReportsPortsOutOfRangeOrNotNumbers) {
    expect_url_error("http://127.0.0.1:70000/", "has port 70000, outside 1..65535");
    expect_url_error("http://127.0.0.1:0/", "has port 0, outside 1..65535");
    expect_url_error("http://[::1]:99999", "has port 99999, outside 1..65535");
    expect_url_error("http://127.0.0.1:http/", "has a port that is not a number");
    expect_url_error("http://127.0.0.1:/", "has an empty port after \":\"");
}

TEST(HttpCheck, ReportsHostsThatAreNoAddresses) {
    expect_url_error("http://web.internal/healthz",
                     "needs an IP address (or localhost) as its host: health checks look up no "
                     "names");
    expect_url_error("http://[db]/", "has no IPv6 address in its brackets");
    expect_url_error("http://::1:8080/",
                     "has an IPv6 address without brackets; write it as http://[::1]:8080/");
    expect_url_error("http://[::1]x/", "has text after its \"]\" that is no port");
    expect_url_error("http://[::1/", "has a \"[\" without its \"]\"");
    expect_url_error("http:///healthz", "has no host; write it as http://HOST[:PORT][/PATH]");
    expect_url_error("http://user:secret@127.0.0.1/",
                     "has a user name (\"...@\"), which health checks do not send");
}

TEST(HttpCheck, ReportsAUrlWithCharactersNoUrlHolds) {
    expect_url_error("http://127.0.0.1/a b",
                     "is not a valid URL (a character no URL may hold?); write it as "
                     "http://HOST[:PORT][/PATH]");
}

TEST(HttpCheck, ReportsAUrlTooLongForARequestLine) {
    const std::string url = "http://127.0.0.1/" + std::string(7983, 'a');
    EXPECT_EQ(check_of("http = \"" + url + "\"").path.size(), 7984u);
    expect_url_error(url + "a", "is 8001 bytes long; the limit is 8000");
}

TEST(HttpCheck, ReportsAUrlThatIsNoStringOrEmpty) {
    expect_error("http = 8080", 4, 8, "\"http\" must be a string, not an integer");
    expect_error("http = \"\"", 4, 8, "\"http\" must not be empty");
}

TEST(TcpCheck, TakesAPortOrAnAddressAsReadyDoes) {
    HealthCheck port = check_of("tcp = 5432");
    EXPECT_EQ(port.kind, HealthCheck::Kind::Tcp);
    EXPECT_EQ(port.host, "127.0.0.1");
    EXPECT_EQ(port.port, 5432);
    HealthCheck v4 = check_of("tcp = \"10.0.0.5:6379\"");
    EXPECT_EQ(v4.host, "10.0.0.5");
    EXPECT_EQ(v4.port, 6379);
    EXPECT_EQ(check_of("tcp = \"[::1]:80\"").host, "::1");
    EXPECT_EQ(check_of("tcp = \"localhost:80\"").host, "127.0.0.1");
}

TEST(ExecCheck, TakesAListOrAStringSplitLikeCommand) {
    HealthCheck list = check_of("exec = [\"/srv/app/check\", \"--quick\"]");
    EXPECT_EQ(list.kind, HealthCheck::Kind::Exec);
    EXPECT_THAT(list.command, ElementsAre("/srv/app/check", "--quick"));
    EXPECT_THAT(check_of("exec = \"pg_isready -h '/run/pg sock'\"").command,
                ElementsAre("pg_isready", "-h", "/run/pg sock"));
}

// A probe on line 4 and knobs from line 5, and the one error they make: a
// tcp probe's are those of `ready = { tcp }`, an exec probe's those of
// `command`.
const BadBody kBadValues[] = {
    {"tcp = 70000", 4, 7, "port 70000 in \"tcp\" is outside 1..65535"},
    {"tcp = \"db:5432\"", 4, 7,
     "\"tcp\" address \"db:5432\" needs an IP address (or localhost) as its host: health "
     "checks look up no names"},
    {"tcp = \"127.0.0.1\"", 4, 7,
     "\"tcp\" address \"127.0.0.1\" must be \"HOST:PORT\" (e.g. \"127.0.0.1:5432\", "
     "\"[::1]:5432\") or a port number"},
    {"tcp = true", 4, 7, "\"tcp\" must be a port number or \"HOST:PORT\", not a boolean"},
    {"exec = []", 4, 8, "\"exec\" must not be empty"},
    {"exec = [\"/bin/check\", 3]", 4, 23,
     "every word of \"exec\" must be a string, not an integer"},
    {"exec = 3", 4, 8, "\"exec\" must be an array of strings or a string, not an integer"},
    {"exec = \"\"", 4, 8, "\"exec\" must not be empty"},
    // The knobs, after a tcp probe.
    {"tcp = 80\ninterval = 0", 5, 12, "\"interval\" must be above 0 seconds (at least 0.001)"},
    {"tcp = 80\ntimeout = 0", 5, 11, "\"timeout\" must be above 0 seconds (at least 0.001)"},
    {"tcp = 80\ninterval = -1", 5, 12, "\"interval\" must not be negative"},
    {"tcp = 80\ntimeout = \"2s\"", 5, 11, "\"timeout\" must be a number of seconds, not a string"},
    // The timeout must be below the interval, both named, at `timeout` when set.
    {"tcp = 80\ninterval = 5\ntimeout = 5", 6, 11,
     "\"timeout\" (5 s) must be below \"interval\" (5 s)"},
    {"tcp = 80\ninterval = 1", 5, 12,
     "\"timeout\" (2 s, the default) must be below \"interval\" (1 s)"},
    {"tcp = 80\ntimeout = 20", 5, 11,
     "\"timeout\" (20 s) must be below \"interval\" (10 s, the default)"},
    {"tcp = 80\ntimeout = 0.75\ninterval = 0.5", 5, 11,
     "\"timeout\" (0.75 s) must be below \"interval\" (0.5 s)"},
    {"tcp = 80\nretries = 0", 5, 11, "\"retries\" must be at least 1, not 0"},
    {"tcp = 80\nretries = 2.5", 5, 11, "\"retries\" must be an integer, not a float"},
    {"tcp = 80\nstart_period = -5", 5, 16, "\"start_period\" must not be negative"},
    {"tcp = 80\non_unhealthy = \"restrat\"", 5, 16,
     "\"on_unhealthy\" must be \"restart\" or \"none\", not \"restrat\" (did you mean "
     "\"restart\"?)"},
    {"tcp = 80\non_unhealthy = false", 5, 16,
     "\"on_unhealthy\" must be \"restart\" or \"none\", not a boolean"},
};

TEST(HealthCheck, ReportsEachBadValueAtItsPosition) {
    for (const BadBody& bad : kBadValues)
        expect_error(bad.body, bad.line, bad.column, bad.message);
}

TEST(HealthCheck, NeedsExactlyOneProbe) {
    expect_error("interval = 5", 3, 1,
                 "[programs.p.healthcheck] sets no probe: set exactly one of http, tcp, exec");
    expect_error("http = \"http://127.0.0.1/\"\ntcp = 80", 5, 7,
                 "[programs.p.healthcheck] sets both \"http\" and \"tcp\": set exactly one of "
                 "http, tcp, exec");
    EXPECT_THAT(check_errors("exec = \"/bin/check\"\ntcp = 80\nhttp = \"http://127.0.0.1/\""),
                ElementsAre(at(5, 7,
                               "[programs.p.healthcheck] sets both \"exec\" and \"tcp\": set "
                               "exactly one of http, tcp, exec"),
                            at(6, 8,
                               "[programs.p.healthcheck] sets both \"exec\" and \"http\": set "
                               "exactly one of http, tcp, exec")));
}

TEST(HealthCheck, ReportsATableThatIsNoTableAndUnknownKeys) {
    EXPECT_THAT(errors_of("[programs.p]\ncommand = \"/bin/p\"\nhealthcheck = \"tcp\"\n"),
                ElementsAre(at(3, 15,
                               "\"healthcheck\" must be a table ([programs.p.healthcheck]), not "
                               "a string")));
    expect_error("tcp = 80\nintervall = 5", 5, 1,
                 "unknown key \"intervall\" in [programs.p.healthcheck] (did you "
                 "mean \"interval\"?)");
}

TEST(HealthCheck, StartPeriodTakesFractionsOfASecond) {
    EXPECT_EQ(check_of("tcp = 80\nstart_period = 0.5").start_period, 500ms);
}

TEST(HealthCheck, EveryErrorOfTheTableIsReported) {
    EXPECT_THAT(check_errors("retries = 0\non_unhealthy = 1\nbogus = 2"), ::testing::SizeIs(4));
    EXPECT_THAT(check_errors("tcp = 80"), IsEmpty());
}

}  // namespace
}  // namespace superv::config

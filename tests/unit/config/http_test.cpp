// [superv.http]: listen addresses (TCP or unix socket), basic-auth
// credentials, and what a unix listener takes from [superv].
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "load_helpers.hpp"

namespace superv::config {
namespace {

using test_support::errors_of;
using test_support::load_ok;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<HttpListener> listeners_of(const std::string& listen) {
    return load_ok("[superv.http]\nlisten = " + listen + "\n").daemon.http;
}

HttpListener tcp(std::string host, int port) {
    HttpListener listener;
    listener.kind = HttpListener::Kind::Tcp;
    listener.host = std::move(host);
    listener.port = port;
    return listener;
}

// The listeners without their positions, to compare with expected values.
std::vector<HttpListener> unpositioned(std::vector<HttpListener> listeners) {
    for (HttpListener& listener : listeners)
        listener.pos = {};
    return listeners;
}

TEST(Http, NoListenersByDefault) {
    EXPECT_THAT(load_ok("[superv]\n").daemon.http, IsEmpty());
    EXPECT_THAT(listeners_of("[]"), IsEmpty());
}

TEST(Http, ReadsTcpAddressesInEveryForm) {
    EXPECT_EQ(unpositioned(listeners_of(
                  R"(["127.0.0.1:9001", "[::1]:9002", "LocalHost:9003", "*:9004", ":9005"])")),
              (std::vector<HttpListener>{tcp("127.0.0.1", 9001), tcp("::1", 9002),
                                         tcp("localhost", 9003), tcp("", 9004), tcp("", 9005)}));
}

TEST(Http, ReadsUnixSocketPathsRelativeToTheConfigDirectory) {
    auto listeners = listeners_of(R"(["/run/superv-http.sock", "run/http.sock"])");
    ASSERT_EQ(listeners.size(), 2u);
    EXPECT_EQ(listeners[0].kind, HttpListener::Kind::Unix);
    EXPECT_EQ(listeners[0].path, "/run/superv-http.sock");
    EXPECT_EQ(listeners[1].path, "/etc/superv/run/http.sock");
}

TEST(Http, EachListenerHasThePositionOfItsEntry) {
    auto listeners = listeners_of("[\"127.0.0.1:9001\",\n  \"/run/h.sock\"]");
    ASSERT_EQ(listeners.size(), 2u);
    EXPECT_EQ(listeners[0].pos, (SourcePos{test_support::kFile, 2, 11}));
    EXPECT_EQ(listeners[1].pos, (SourcePos{test_support::kFile, 3, 3}));
}

TEST(Http, UnixListenerTakesSocketModeAndGroupOfSuperv) {
    Config plain = load_ok("[superv.http]\nlisten = [\"/run/h.sock\"]\n");
    EXPECT_EQ(plain.daemon.http.at(0).mode, mode_t{0600});
    EXPECT_EQ(plain.daemon.http.at(0).group, "");
    // [superv.http] comes first: the keys of [superv] apply all the same.
    Config shared = load_ok(R"([superv.http]
listen = ["/run/h.sock", "127.0.0.1:9001"]
[superv]
socket_mode = "0660"
socket_group = "root"
)");
    ASSERT_EQ(shared.daemon.http.size(), 2u);
    EXPECT_EQ(shared.daemon.http[0].mode, mode_t{0660});
    EXPECT_EQ(shared.daemon.http[0].group, "root");
    EXPECT_EQ(shared.daemon.http[1].group, "");
}

TEST(Http, EveryListenerGetsTheCredentials) {
    Config config = load_ok(R"([superv.http]
listen = ["/run/h.sock", "127.0.0.1:9001"]
username = "admin"
password = "{SHA}e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"
)");
    ASSERT_EQ(config.daemon.http.size(), 2u);
    for (const HttpListener& listener : config.daemon.http) {
        EXPECT_EQ(listener.username, "admin");
        EXPECT_EQ(listener.password, "{SHA}e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4");
    }
}

TEST(Http, ReportsBadAddressesEachAtItsEntry) {
    EXPECT_THAT(
        errors_of(R"([superv.http]
listen = ["9001", "host:0", "host:65536", "::1:9001", "[]:80", "x:", 9001, ""]
)"),
        ElementsAre(HasSubstr(":2:11: listen address \"9001\" must be HOST:PORT"),
                    HasSubstr(":2:19: listen address \"host:0\" needs a port between 1 and 65535"),
                    HasSubstr(":2:29: listen address \"host:65536\" needs a port"),
                    HasSubstr(":2:43: listen address \"::1:9001\" has an IPv6 address without "
                              "brackets; write it as \"[::1]:9001\""),
                    HasSubstr(":2:55: listen address \"[]:80\" has an empty IPv6 address"),
                    HasSubstr(":2:64: listen address \"x:\" needs a port"),
                    HasSubstr(":2:70: every entry of \"listen\" must be a string, not an integer"),
                    HasSubstr(":2:76: an entry of \"listen\" must not be empty")));
}

TEST(Http, ReportsListenThatIsNotAnArray) {
    EXPECT_THAT(errors_of("[superv.http]\nlisten = \"127.0.0.1:9001\"\n"),
                ElementsAre("/etc/superv/superv.toml:2:10: \"listen\" must be an array of "
                            "addresses like [\"127.0.0.1:9001\", \"/run/superv-http.sock\"], not "
                            "a string"));
    EXPECT_THAT(errors_of("[superv]\nhttp = 1\n"),
                ElementsAre(HasSubstr(":2:8: \"http\" must be a table ([superv.http]), not an "
                                      "integer")));
}

TEST(Http, ReportsDuplicateAddressesAtTheLaterEntry) {
    EXPECT_THAT(
        errors_of(R"([superv.http]
listen = ["127.0.0.1:9001", "/run/h.sock", "127.0.0.1:9001", "/run/h.sock", "*:9001", ":9002", "*:9002"]
)"),
        ElementsAre("/etc/superv/superv.toml:2:44: \"127.0.0.1:9001\" is already listed at "
                    "/etc/superv/superv.toml:2:11",
                    "/etc/superv/superv.toml:2:62: \"/run/h.sock\" is already listed at "
                    "/etc/superv/superv.toml:2:29",
                    "/etc/superv/superv.toml:2:77: \"*:9001\" clashes with \"127.0.0.1:9001\" at "
                    "/etc/superv/superv.toml:2:11: every interface already includes port 9001",
                    "/etc/superv/superv.toml:2:96: \"*:9002\" is already listed at "
                    "/etc/superv/superv.toml:2:87"));
}

TEST(Http, ReportsUnixListenerOnTheControlSocket) {
    EXPECT_THAT(errors_of(R"([superv]
socket = "/run/superv.sock"
[superv.http]
listen = ["/run/superv.sock"]
)"),
                ElementsAre("/etc/superv/superv.toml:4:11: \"/run/superv.sock\" is the control "
                            "socket (\"socket\"); the HTTP server needs a path of its own"));
}

TEST(Http, ReportsUnixSocketPathTooLongForSunPath) {
    EXPECT_THAT(errors_of("[superv.http]\nlisten = [\"/" + std::string(120, 'x') + "\"]\n"),
                ElementsAre(HasSubstr(":2:11: unix socket path \"/xxx")));
}

TEST(Http, RequiresUsernameAndPasswordTogether) {
    EXPECT_THAT(errors_of("[superv.http]\nlisten = [\":9001\"]\nusername = \"admin\"\n"),
                ElementsAre("/etc/superv/superv.toml:3:12: \"username\" needs a \"password\" in "
                            "[superv.http]"));
    EXPECT_THAT(errors_of("[superv.http]\nlisten = [\":9001\"]\npassword = \"x\"\n"),
                ElementsAre("/etc/superv/superv.toml:3:12: \"password\" needs a \"username\" in "
                            "[superv.http]"));
}

TEST(Http, ReportsShaPasswordWithoutFortyHexDigits) {
    const std::string head = "[superv.http]\nlisten = [\":9001\"]\nusername = \"a\"\n";
    EXPECT_THAT(errors_of(head + "password = \"{SHA}e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f\"\n"),
                ElementsAre(HasSubstr(":4:12: \"password\" starting with \"{SHA}\" must go on "
                                      "with the 40 hex digits of a SHA-1 digest")));
    EXPECT_THAT(errors_of(head + "password = \"{SHA}g5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4\"\n"),
                ElementsAre(HasSubstr(":4:12: \"password\" starting with \"{SHA}\"")));
    EXPECT_THAT(errors_of(head + "password = \"{SHA}E5E9FA1BA31ECD1AE84F75CAAA474F3A663F05F4\"\n"),
                IsEmpty());
}

TEST(Http, ReportsUsernameWithAColon) {
    EXPECT_THAT(errors_of("[superv.http]\nusername = \"a:b\"\npassword = \"x\"\n"),
                ElementsAre(HasSubstr(":2:12: \"username\" must not contain \":\"")));
}

TEST(Http, ReportsUnknownKeyWithSuggestion) {
    EXPECT_THAT(errors_of("[superv.http]\nlistens = []\n"),
                ElementsAre("/etc/superv/superv.toml:2:1: unknown key \"listens\" in "
                            "[superv.http] (did you mean \"listen\"?)"));
}

}  // namespace
}  // namespace superv::config

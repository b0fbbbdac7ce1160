// The control protocol's parsing and the selector rules, without a socket.
#include "superv/control/protocol.hpp"

#include <gtest/gtest.h>

#include "superv/control/selectors.hpp"
#include "superv/control/status.hpp"

namespace superv::control {
namespace {

TEST(Protocol, ParsesAFullRequest) {
    std::string error;
    auto r = parse_request(R"({"cmd":"tail","names":["web"],"stream":"stderr","bytes":10,)"
                           R"("follow":true})",
                           &error);
    ASSERT_TRUE(r) << error;
    EXPECT_EQ(r->cmd, "tail");
    EXPECT_EQ(r->names, std::vector<std::string>{"web"});
    EXPECT_EQ(r->stream, "stderr");
    EXPECT_EQ(r->bytes, 10u);
    EXPECT_TRUE(r->follow);
}

TEST(Protocol, RoundTripsThroughJson) {
    Request r;
    r.cmd = "signal";
    r.names = {"a", "g:*"};
    r.signal = "HUP";
    std::string error;
    auto back = parse_request(to_json(r).dump(), &error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(back->names, r.names);
    EXPECT_EQ(back->signal, "HUP");
}

TEST(Protocol, RejectsEveryKindOfBadRequestWithAReason) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"not json", "not valid JSON"},
        {"[1]", "must be a JSON object"},
        {"{}", "needs \"cmd\""},
        {R"({"cmd":1})", "needs \"cmd\""},
        {R"({"cmd":"explode"})", "unknown command \"explode\""},
        {R"({"cmd":"status","names":"web"})", "wrong type"},
        {R"({"cmd":"status","names":[1]})", "wrong type"},
        {R"({"cmd":"tail","bytes":-1})", "wrong type"},
        {R"({"cmd":"tail","stream":"stdin"})", "stdout or stderr"},
    };
    for (const auto& [line, reason] : cases) {
        std::string error;
        EXPECT_FALSE(parse_request(line, &error)) << line;
        EXPECT_NE(error.find(reason), std::string::npos) << line << " -> " << error;
    }
}

TEST(Protocol, ErrorReplyCarriesKindAndMessage) {
    const Json j = error_reply("usage", "no such process: x");
    EXPECT_EQ(j["ok"], false);
    EXPECT_EQ(j["kind"], "usage");
    EXPECT_EQ(j["error"], "no such process: x");
}

const std::vector<Named> kTable = {
    {"web", "web"}, {"worker_00", "backend"}, {"worker_01", "backend"}, {"db", "backend"}};

std::vector<std::size_t> pick(const std::vector<std::string>& sel) {
    auto s = select_processes(kTable, sel);
    EXPECT_TRUE(s.unknown.empty());
    return s.indices;
}

TEST(Selectors, SelectByNameGroupStarGroupNameAndAll) {
    EXPECT_EQ(pick({"web"}), (std::vector<std::size_t>{0}));
    EXPECT_EQ(pick({"backend:*"}), (std::vector<std::size_t>{1, 2, 3}));
    EXPECT_EQ(pick({"backend:db"}), (std::vector<std::size_t>{3}));
    EXPECT_EQ(pick({"all"}), (std::vector<std::size_t>{0, 1, 2, 3}));
    EXPECT_EQ(pick({"worker_01"}), (std::vector<std::size_t>{2}));
}

TEST(Selectors, ABareGroupNameSelectsTheGroup) {
    EXPECT_EQ(pick({"backend"}), (std::vector<std::size_t>{1, 2, 3}));
}

TEST(Selectors, ResultIsInTableOrderWithoutDuplicates) {
    EXPECT_EQ(pick({"db", "web", "backend:*", "db"}), (std::vector<std::size_t>{0, 1, 2, 3}));
}

TEST(Selectors, ReportsSelectorsThatMatchNothing) {
    auto s = select_processes(kTable, {"web", "nope", "backend:nope", "ghost:*"});
    EXPECT_EQ(s.unknown, (std::vector<std::string>{"nope", "backend:nope", "ghost:*"}));
    EXPECT_EQ(s.indices, (std::vector<std::size_t>{0}));
}

TEST(Status, UptimeReadsLikeSupervisorctl) {
    EXPECT_EQ(format_uptime(std::chrono::seconds(0)), "0:00:00");
    EXPECT_EQ(format_uptime(std::chrono::seconds(3723)), "1:02:03");
    EXPECT_EQ(format_uptime(std::chrono::seconds(90000)), "25:00:00");
}

TEST(Status, JsonOfAProcessThatNeverRan) {
    auto program = std::make_shared<config::ProgramConfig>();
    program->name = "web";
    program->command = {"/bin/true"};
    core::Process p(core::ProcessId{0, 1}, config::ProcessSpec{"web", "web", 0, program});
    const Json j = status_json(p, std::chrono::steady_clock::now());
    EXPECT_EQ(j["name"], "web");
    EXPECT_EQ(j["group"], "web");
    EXPECT_EQ(j["state"], "STOPPED");
    EXPECT_EQ(j["pid"], 0);
    EXPECT_TRUE(j["exitstatus"].is_null());
    EXPECT_TRUE(j["signal"].is_null());
    EXPECT_EQ(j["description"], "Not started");
}

TEST(Status, JsonOfAProcessKilledBySignal) {
    auto program = std::make_shared<config::ProgramConfig>();
    core::Process p(core::ProcessId{0, 1}, config::ProcessSpec{"w", "g", 0, program});
    p.last_exit = core::ExitStatus{true, 9};
    const Json j = status_json(p, std::chrono::steady_clock::now());
    EXPECT_EQ(j["signal"], 9);
    EXPECT_TRUE(j["exitstatus"].is_null());
}

}  // namespace
}  // namespace superv::control

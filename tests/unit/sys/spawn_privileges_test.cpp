// Capabilities, no_new_privs and resource limits as the child really has them,
// read from /proc/PID/status and /proc/PID/limits. Run once per spawn method:
// a vfork child changes its credentials on memory it shares with superv.
#include <grp.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "superv/sys/spawn.hpp"
#include "test_support.hpp"

namespace superv::sys {
namespace {

using testing::exit_code_of;
using testing::has_no_children;
using testing::run_isolated;
using testing::status_field;
using testing::wait_for_exit;
using namespace std::chrono_literals;

constexpr std::uint64_t bit(int cap) {
    return std::uint64_t{1} << cap;
}

// /proc/PID/status prints each set as 16 hex digits.
std::string hex_set(std::uint64_t mask) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(mask));
    return text;
}

// The soft and hard columns of one /proc/PID/limits line, e.g. "Max open files".
std::pair<std::string, std::string> limits_of(pid_t pid, const std::string& name) {
    std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
    for (std::string line; std::getline(limits, line);) {
        if (line.compare(0, name.size(), name) != 0 || line[name.size()] != ' ') continue;
        std::istringstream rest(line.substr(name.size()));
        std::string soft, hard;
        rest >> soft >> hard;
        return {soft, hard};
    }
    return {"(no " + name + ")", ""};
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.pop_back();
    return text;
}

class SpawnPrivilegesTest : public ::testing::TestWithParam<SpawnMethod> {
  protected:
    void SetUp() override {
        if (geteuid() != 0) GTEST_SKIP() << "needs root to hand out privileges";
    }
    void TearDown() override { EXPECT_TRUE(has_no_children()) << "a child was left behind"; }

    // `cat` under `request`, fully exec'd (a line echoed back) before the
    // test reads its /proc entries.
    Result<testing::LiveChild> start_cat(SpawnRequest request) {
        return testing::spawn_live_cat(GetParam(), std::move(request));
    }

    static void finish(testing::LiveChild& child) {
        child.stdin_write.reset();
        EXPECT_EQ(exit_code_of(wait_for_exit(child.process)), 0);
    }
};

TEST_P(SpawnPrivilegesTest, KeptCapabilitiesSurviveTheUserSwitchAsAmbient) {
    const std::uint64_t kept = bit(CAP_NET_BIND_SERVICE);
    auto child = start_cat({.uid = 65534,
                            .gid = 65534,
                            .supplementary_groups = std::vector<gid_t>{65534},
                            .capabilities = kept});
    ASSERT_TRUE(child.ok()) << child.error().message();
    const pid_t pid = child->process.pid();
    for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
        EXPECT_EQ(status_field(pid, set), hex_set(kept)) << set;
    }
    EXPECT_EQ(status_field(pid, "Uid"), "65534\t65534\t65534\t65534");
    EXPECT_EQ(status_field(pid, "Gid"), "65534\t65534\t65534\t65534");
    EXPECT_EQ(trimmed(status_field(pid, "Groups")), "65534");
    finish(*child);
}

TEST_P(SpawnPrivilegesTest, WithoutUserSwitchTheListBoundsWhatRootKeeps) {
    const std::uint64_t kept = bit(CAP_NET_BIND_SERVICE) | bit(CAP_KILL);
    auto child = start_cat({.capabilities = kept});
    ASSERT_TRUE(child.ok()) << child.error().message();
    const pid_t pid = child->process.pid();
    EXPECT_EQ(status_field(pid, "Uid"), "0\t0\t0\t0");
    for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
        EXPECT_EQ(status_field(pid, set), hex_set(kept)) << set;
    }
    finish(*child);
}

TEST_P(SpawnPrivilegesTest, AnEmptyListDropsEveryCapability) {
    auto child = start_cat({.uid = 65534, .gid = 65534, .capabilities = std::uint64_t{0}});
    ASSERT_TRUE(child.ok()) << child.error().message();
    for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
        EXPECT_EQ(status_field(child->process.pid(), set), hex_set(0)) << set;
    }
    finish(*child);
}

TEST_P(SpawnPrivilegesTest, UnsetCapabilitiesLeaveTheBoundingSetAsSupervs) {
    auto child = start_cat({.uid = 65534, .gid = 65534});
    ASSERT_TRUE(child.ok()) << child.error().message();
    const pid_t pid = child->process.pid();
    EXPECT_EQ(status_field(pid, "CapBnd"), status_field(getpid(), "CapBnd"));
    EXPECT_EQ(status_field(pid, "CapEff"), hex_set(0));
    EXPECT_EQ(status_field(pid, "CapAmb"), hex_set(0));
    finish(*child);
}

TEST_P(SpawnPrivilegesTest, NoNewPrivsIsSetOnlyWhenAsked) {
    auto plain = start_cat({});
    ASSERT_TRUE(plain.ok()) << plain.error().message();
    EXPECT_EQ(status_field(plain->process.pid(), "NoNewPrivs"), "0");
    finish(*plain);
    auto locked = start_cat({.uid = 65534, .gid = 65534, .no_new_privs = true});
    ASSERT_TRUE(locked.ok()) << locked.error().message();
    EXPECT_EQ(status_field(locked->process.pid(), "NoNewPrivs"), "1");
    finish(*locked);
}

TEST_P(SpawnPrivilegesTest, ResourceLimitsAreSetBeforeExec) {
    // Only lowered, or kept at superv's own hard limit: root in a container
    // may lack CAP_SYS_RESOURCE to raise any.
    rlimit core{};
    ASSERT_EQ(getrlimit(RLIMIT_CORE, &core), 0);
    const std::string core_hard =
        core.rlim_max == RLIM_INFINITY ? "unlimited" : std::to_string(core.rlim_max);
    auto child = start_cat({.uid = 65534,
                            .gid = 65534,
                            .rlimits = {{RLIMIT_NOFILE, 256, 512},
                                        {RLIMIT_CORE, 0, core.rlim_max},
                                        {RLIMIT_NPROC, 100, 200},
                                        {RLIMIT_MEMLOCK, 1u << 20, 1u << 20}}});
    ASSERT_TRUE(child.ok()) << child.error().message();
    const pid_t pid = child->process.pid();
    using Pair = std::pair<std::string, std::string>;
    EXPECT_EQ(limits_of(pid, "Max open files"), Pair("256", "512"));
    EXPECT_EQ(limits_of(pid, "Max core file size"), Pair("0", core_hard));
    EXPECT_EQ(limits_of(pid, "Max processes"), Pair("100", "200"));
    EXPECT_EQ(limits_of(pid, "Max locked memory"), Pair("1048576", "1048576"));
    finish(*child);
}

TEST_P(SpawnPrivilegesTest, RefusedPrivilegeStepsAreReportedByName) {
    const SpawnMethod method = GetParam();
    EXPECT_EQ(
        run_isolated([method] {
            // An unprivileged superv: no CAP_SETPCAP, no CAP_SYS_RESOURCE.
            EXPECT_IN_CHILD(setgroups(0, nullptr) == 0);
            EXPECT_IN_CHILD(setgid(65534) == 0);
            EXPECT_IN_CHILD(setuid(65534) == 0);
            rlimit own{};
            EXPECT_IN_CHILD(getrlimit(RLIMIT_NOFILE, &own) == 0);
            const auto refused = [method](SpawnRequest request, const char* step) {
                request.argv = {"/bin/true"};
                request.method = method;
                auto process = spawn(request);
                return !process.ok() && process.error().call == std::string(step) &&
                       process.error().err == EPERM;
            };
            EXPECT_IN_CHILD(refused({.capabilities = std::uint64_t{0}}, "prctl(PR_CAPBSET_DROP)"));
            EXPECT_IN_CHILD(refused(
                {.rlimits = {{RLIMIT_NOFILE, own.rlim_max + 1, own.rlim_max + 1}}}, "prlimit64"));
            return has_no_children() ? 0 : 2;
        }),
        0);
}

INSTANTIATE_TEST_SUITE_P(EveryMethod, SpawnPrivilegesTest, testing::kEveryMethod,
                         testing::method_test_name);

}  // namespace
}  // namespace superv::sys

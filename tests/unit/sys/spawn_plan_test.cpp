// The parent-side precomputation: which paths the child will try to exec.
#include "superv/sys/spawn_plan.hpp"

#include <gtest/gtest.h>

namespace superv::sys::detail {
namespace {

using Paths = std::vector<std::string>;

TEST(ExecCandidatesTest, NameWithSlashIsUsedAsIs) {
    EXPECT_EQ(exec_candidates("/usr/bin/env", "/a:/b"), Paths{"/usr/bin/env"});
    EXPECT_EQ(exec_candidates("./tool", "/a:/b"), Paths{"./tool"});
    EXPECT_EQ(exec_candidates("bin/tool", "/a"), Paths{"bin/tool"});
}

TEST(ExecCandidatesTest, BareNameIsTriedInEveryPathDirectoryInOrder) {
    EXPECT_EQ(exec_candidates("tool", "/usr/local/bin:/usr/bin:/bin"),
              (Paths{"/usr/local/bin/tool", "/usr/bin/tool", "/bin/tool"}));
}

TEST(ExecCandidatesTest, EmptyPathElementMeansCurrentDirectory) {
    EXPECT_EQ(exec_candidates("tool", ":/a::/b:"),
              (Paths{"tool", "/a/tool", "tool", "/b/tool", "tool"}));
}

TEST(ExecCandidatesTest, EmptyNameIsNotLookedUp) {
    EXPECT_EQ(exec_candidates("", "/a:/b"), Paths{""});
}

TEST(LookupPathTest, RequestEnvironmentWinsOverOwnPath) {
    SpawnRequest request;
    request.env = {"PATHX=/no", "PATH=/req/bin", "HOME=/"};
    EXPECT_EQ(lookup_path(request, "/own/bin"), "/req/bin");
}

TEST(LookupPathTest, OwnPathIsUsedWhenRequestHasNone) {
    SpawnRequest request;
    request.env = {"HOME=/"};
    EXPECT_EQ(lookup_path(request, "/own/bin"), "/own/bin");
}

TEST(LookupPathTest, DefaultPathWhenNeitherHasOne) {
    EXPECT_EQ(lookup_path(SpawnRequest{}, nullptr), "/usr/local/bin:/usr/bin:/bin");
}

TEST(ExecPlanTest, ChildPlanCarriesArgvEnvironmentAndRequestFields) {
    SpawnRequest request{.argv = {"tool", "arg"},
                         .env = {"PATH=/p1:/p2", "A=1"},
                         .directory = "/srv",
                         .umask = 022,
                         .stdin_fd = 5,
                         .uid = 10,
                         .supplementary_groups = std::vector<gid_t>{1, 2}};
    const ExecPlan exec_plan(request, nullptr);
    const ChildPlan plan = exec_plan.child_plan(request);
    ASSERT_EQ(plan.exec_path_count, 2u);
    EXPECT_STREQ(plan.exec_paths[0], "/p1/tool");
    EXPECT_STREQ(plan.exec_paths[1], "/p2/tool");
    EXPECT_STREQ(plan.argv[0], "tool");
    EXPECT_STREQ(plan.argv[1], "arg");
    EXPECT_EQ(plan.argv[2], nullptr);
    EXPECT_STREQ(plan.envp[1], "A=1");
    EXPECT_EQ(plan.envp[2], nullptr);
    EXPECT_STREQ(plan.directory, "/srv");
    EXPECT_TRUE(plan.set_umask);
    EXPECT_EQ(plan.umask, 022u);
    EXPECT_EQ(plan.stdio[0], 5);
    EXPECT_EQ(plan.stdio[1], -1);
    EXPECT_TRUE(plan.set_uid);
    EXPECT_EQ(plan.uid, 10u);
    EXPECT_FALSE(plan.set_gid);
    EXPECT_TRUE(plan.set_groups);
    EXPECT_EQ(plan.group_count, 2u);
}

}  // namespace
}  // namespace superv::sys::detail

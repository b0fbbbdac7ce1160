// /proc/PID/stat: parent and start time, with awkward command names.
#include "superv/sys/proc_stat.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "superv/sys/spawn.hpp"
#include "test_support.hpp"

namespace superv::sys {
namespace {

TEST(ProcStat, ParsesParentAndStartTime) {
    const auto stat = parse_proc_stat(
        "4242 (sh) S 4200 4242 4200 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 987654 2412544 229 "
        "18446744073709551615 1 1 0 0 0 0 0 0 65538 0 0 0 17 1 0 0 0 0 0");
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->parent, 4200);
    EXPECT_EQ(stat->start_time, 987654u);
}

TEST(ProcStat, ACommandWithSpacesAndParenthesesCannotShiftTheFields) {
    const auto stat =
        parse_proc_stat("77 (a) S 1 2 (x) y) R 70 77 70 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 555 0 0");
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->parent, 70);
    EXPECT_EQ(stat->start_time, 555u);
}

TEST(ProcStat, RejectsATruncatedOrMangledLine) {
    EXPECT_FALSE(parse_proc_stat(""));
    EXPECT_FALSE(parse_proc_stat("12 no parentheses S 1"));
    EXPECT_FALSE(parse_proc_stat("12 (sh) S 1 2 3"));
    EXPECT_FALSE(parse_proc_stat("12 (sh) S x 12 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0"));
}

TEST(ProcStat, ReadsThisProcessAndFailsForAReapedOne) {
    auto self = read_proc_stat(::getpid());
    ASSERT_TRUE(self.ok()) << self.error().message();
    EXPECT_EQ(self->parent, ::getppid());
    EXPECT_GT(self->start_time, 0u);

    auto child = spawn(SpawnRequest{.argv = {"/bin/true"}});
    ASSERT_TRUE(child.ok()) << child.error().message();
    const pid_t pid = child->pid();
    testing::wait_for_exit(child.value());
    auto gone = read_proc_stat(pid);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().err, ENOENT);
}

}  // namespace
}  // namespace superv::sys

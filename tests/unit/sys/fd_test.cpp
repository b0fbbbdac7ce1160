// Fd ownership and the fd hygiene helpers.
#include "superv/sys/fd.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "test_support.hpp"

namespace superv::sys {
namespace {

using testing::run_isolated;

bool is_open(int fd) {
    return fcntl(fd, F_GETFD) >= 0;
}
bool is_cloexec(int fd) {
    return (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}

TEST(FdTest, ResetClosesTheOwnedFdAndTakesTheNewOne) {
    const int first = open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int second = open("/dev/null", O_RDONLY | O_CLOEXEC);
    Fd fd(first);
    fd.reset(second);
    EXPECT_FALSE(is_open(first));
    EXPECT_EQ(fd.get(), second);
    fd.reset();
    EXPECT_FALSE(is_open(second));
    EXPECT_FALSE(fd.valid());
}

TEST(FdTest, DestructorAndMoveAssignmentCloseExactlyOnce) {
    const int a = open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int b = open("/dev/null", O_RDONLY | O_CLOEXEC);
    {
        Fd target(a);
        Fd source(b);
        target = std::move(source);
        EXPECT_FALSE(is_open(a));
        EXPECT_FALSE(source.valid());
        EXPECT_EQ(target.get(), b);
    }
    EXPECT_FALSE(is_open(b));
}

TEST(FdTest, ReleaseHandsOwnershipBack) {
    const int raw = open("/dev/null", O_RDONLY | O_CLOEXEC);
    {
        Fd fd(raw);
        EXPECT_EQ(fd.release(), raw);
    }
    EXPECT_TRUE(is_open(raw));
    close(raw);
}

TEST(FdTest, MakePipeIsAlwaysCloseOnExecAndAddsRequestedFlags) {
    auto pipe = make_pipe(O_NONBLOCK);
    ASSERT_TRUE(pipe.ok()) << pipe.error().message();
    for (const Fd* end : {&pipe->first, &pipe->second}) {
        EXPECT_TRUE(is_cloexec(end->get()));
        EXPECT_NE(fcntl(end->get(), F_GETFL) & O_NONBLOCK, 0);
    }
    ASSERT_EQ(write(pipe->second.get(), "x", 1), 1);
    char c = 0;
    ASSERT_EQ(read(pipe->first.get(), &c, 1), 1);
    EXPECT_EQ(c, 'x');
}

// Both variants mark every fd >= 3 and leave 0..2 inheritable.
int check_marks_inherited_fds(Result<void> (*mark)()) {
    const int inherited = open("/dev/null", O_RDONLY);
    const int high = fcntl(inherited, F_DUPFD, 500);
    EXPECT_IN_CHILD(inherited >= 3 && high >= 500);
    EXPECT_IN_CHILD(!is_cloexec(inherited) && !is_cloexec(high));
    EXPECT_IN_CHILD(mark().ok());
    EXPECT_IN_CHILD(is_cloexec(inherited) && is_cloexec(high));
    for (int fd = 0; fd < 3; ++fd)
        EXPECT_IN_CHILD(!is_open(fd) || !is_cloexec(fd));
    return 0;
}

TEST(FdTest, MarkInheritedFdsCloexecCoversEveryFdAboveStdio) {
    EXPECT_EQ(run_isolated([] { return check_marks_inherited_fds(mark_inherited_fds_cloexec); }),
              0);
}

TEST(FdTest, ProcListingFallbackMarksTheSameFds) {
    EXPECT_EQ(run_isolated([] { return check_marks_inherited_fds(mark_fds_cloexec_by_listing); }),
              0);
}

TEST(FdTest, EnsureStdioOpenFillsClosedSlotsWithDevNull) {
    EXPECT_EQ(run_isolated([] {
                  close(0);
                  close(2);
                  EXPECT_IN_CHILD(ensure_stdio_open().ok());
                  for (int fd : {0, 2}) {
                      EXPECT_IN_CHILD(is_open(fd) && !is_cloexec(fd));
                      const auto target =
                          std::filesystem::read_symlink("/proc/self/fd/" + std::to_string(fd));
                      EXPECT_IN_CHILD(target == "/dev/null");
                  }
                  EXPECT_IN_CHILD(is_open(1));
                  return 0;
              }),
              0);
}

}  // namespace
}  // namespace superv::sys

// poll_readable: readiness only; the caller does the I/O.
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "backend_fixture.hpp"

namespace superv::loop::test {
namespace {

constexpr Tag kPoll{TagKind::OutputRead, 3, 1};

TEST_P(BackendTest, PollReadableWaitsForDataAndConsumesNothing) {
    Pipe pipe;
    backend().poll_readable(kPoll, pipe.read_end);
    backend().submit();
    expect_only_sentinel();  // nothing to read yet: no completion

    ASSERT_EQ(::write(pipe.write_end, "abc", 3), 3);
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].tag, kPoll);
    EXPECT_TRUE(got[0].result & POLLIN) << got[0].result;
    char buf[8];
    EXPECT_EQ(::read(pipe.read_end, buf, sizeof buf), 3);  // the data is still there
}

TEST_P(BackendTest, PollReadableCompletesAtEndOfFile) {
    Pipe pipe;
    backend().poll_readable(kPoll, pipe.read_end);
    backend().submit();
    pipe.close_write();
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_GT(got[0].result, 0);
}

TEST_P(BackendTest, PollReadableCanBeCancelled) {
    Pipe pipe;
    backend().poll_readable(kPoll, pipe.read_end);
    backend().submit();
    backend().cancel(kPoll);
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].result, -ECANCELED);
}

}  // namespace
}  // namespace superv::loop::test

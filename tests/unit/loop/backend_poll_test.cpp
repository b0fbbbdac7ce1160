// poll_readable / poll_writable: readiness only; the caller does the I/O.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
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

constexpr Tag kPollOut{TagKind::OutputRead, 4, 1};

// Fills the pipe until a write would block.
void fill(const Pipe& pipe) {
    const std::vector<char> block(4096, 'x');
    while (::write(pipe.write_end, block.data(), block.size()) > 0) {
    }
}

TEST_P(BackendTest, PollWritableWaitsForRoomInAFullPipe) {
    Pipe pipe;
    fill(pipe);
    backend().poll_writable(kPollOut, pipe.write_end);
    backend().submit();
    expect_only_sentinel();  // full: no completion

    std::vector<char> sink(65536);
    while (::read(pipe.read_end, sink.data(), sink.size()) > 0) {
    }
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].tag, kPollOut);
    EXPECT_TRUE(got[0].result & POLLOUT) << got[0].result;
}

TEST_P(BackendTest, PollWritableCompletesAtOnceForAnFdWithRoom) {
    Pipe pipe;
    backend().poll_writable(kPollOut, pipe.write_end);
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_TRUE(got[0].result & POLLOUT) << got[0].result;
}

TEST_P(BackendTest, PollWritableTellsWhenANonBlockingConnectHasFinished) {
    const OwnedFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), length), 0);
    ASSERT_EQ(::listen(listener.get(), 1), 0);
    ASSERT_EQ(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length), 0);

    const OwnedFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    const int rc = ::connect(client.get(), reinterpret_cast<sockaddr*>(&address), length);
    ASSERT_TRUE(rc == 0 || errno == EINPROGRESS) << std::strerror(errno);
    backend().poll_writable(kPollOut, client.get());
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_TRUE(got[0].result & POLLOUT) << got[0].result;
    int error = -1;
    socklen_t size = sizeof error;
    ASSERT_EQ(::getsockopt(client.get(), SOL_SOCKET, SO_ERROR, &error, &size), 0);
    EXPECT_EQ(error, 0);
}

TEST_P(BackendTest, PollWritableCanBeCancelled) {
    Pipe pipe;
    fill(pipe);
    backend().poll_writable(kPollOut, pipe.write_end);
    backend().submit();
    backend().cancel(kPollOut);
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].result, -ECANCELED);
}

}  // namespace
}  // namespace superv::loop::test

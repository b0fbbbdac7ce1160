#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "backend_fixture.hpp"

namespace superv::loop::test {
namespace {

using ::testing::ElementsAre;

constexpr Tag kRead{TagKind::ControlRead, 1, 1};
constexpr Tag kWrite{TagKind::ControlWrite, 1, 1};

std::span<const std::byte> bytes(std::string_view s) {
    return std::as_bytes(std::span(s));
}

TEST_P(BackendTest, ReadCompletesWhenDataArrives) {
    Pipe pipe;
    std::byte buf[16];
    backend().read(kRead, pipe.read_end, buf);
    backend().submit();
    ASSERT_EQ(::write(pipe.write_end, "hello", 5), 5);

    EXPECT_THAT(collect(1), ElementsAre(Completion{kRead, 5}));
    EXPECT_EQ(text(buf, 5), "hello");
}

TEST_P(BackendTest, ReadGivesZeroAtEndOfFile) {
    Pipe pipe;
    std::byte buf[16];
    backend().read(kRead, pipe.read_end, buf);
    backend().submit();
    pipe.close_write();

    EXPECT_THAT(collect(1), ElementsAre(Completion{kRead, 0}));
}

TEST_P(BackendTest, ReadOfARegularFileCompletesAtOnce) {
    // Regular files cannot be polled (epoll_ctl says EPERM): always ready.
    OwnedFd file(::memfd_create("superv-loop-test", MFD_CLOEXEC));
    ASSERT_EQ(::write(file.get(), "contents", 8), 8);
    ASSERT_EQ(::lseek(file.get(), 0, SEEK_SET), 0);
    std::byte buf[16];
    backend().read(kRead, file.get(), buf);

    EXPECT_THAT(collect(1), ElementsAre(Completion{kRead, 8}));
    EXPECT_EQ(text(buf, 8), "contents");
}

TEST_P(BackendTest, WriteCompletesWithTheBytesWritten) {
    Pipe pipe;
    const std::string_view payload = "payload";
    backend().write(kWrite, pipe.write_end, bytes(payload));

    EXPECT_THAT(collect(1), ElementsAre(Completion{kWrite, 7}));
    char got[16] = {};
    EXPECT_EQ(::read(pipe.read_end, got, sizeof(got)), 7);
    EXPECT_EQ(std::string_view(got, 7), payload);
}

TEST_P(BackendTest, AcceptGivesACloseOnExecNonBlockingConnection) {
    Listener listener;
    const Tag tag{TagKind::ControlAccept, 0, 1};
    backend().accept(tag, listener.fd());
    backend().submit();
    OwnedFd client(listener.connect());

    const std::vector<Completion> got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].tag, tag);
    ASSERT_GE(got[0].result, 0) << std::strerror(-got[0].result);
    OwnedFd conn(got[0].result);
    EXPECT_TRUE(::fcntl(conn.get(), F_GETFD) & FD_CLOEXEC);
    EXPECT_TRUE(::fcntl(conn.get(), F_GETFL) & O_NONBLOCK);
    // And it is the client's connection.
    ASSERT_EQ(::write(client.get(), "hi", 2), 2);
    char got_text[2] = {};
    EXPECT_EQ(::recv(conn.get(), got_text, 2, MSG_WAITALL), 2);
}

TEST_P(BackendTest, ReadAndWritePendingOnOneSocketCompleteIndependently) {
    int pair[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair), 0);
    OwnedFd ours(pair[0]);
    OwnedFd peer(pair[1]);
    // Fill our send side so a write has to wait.
    const std::string chunk(4096, 'f');
    while (::write(ours.get(), chunk.data(), chunk.size()) > 0) {
    }
    ASSERT_EQ(errno, EAGAIN);

    std::byte buf[16];
    backend().read(kRead, ours.get(), buf);
    backend().write(kWrite, ours.get(), bytes(chunk));
    backend().submit();

    // Data from the peer completes the read alone: the write still waits.
    ASSERT_EQ(::write(peer.get(), "ping", 4), 4);
    EXPECT_THAT(collect(1), ElementsAre(Completion{kRead, 4}));
    EXPECT_EQ(text(buf, 4), "ping");

    // The peer drains what we sent: now the write goes through.
    char sink[65536];
    while (::read(peer.get(), sink, sizeof(sink)) > 0) {
    }
    const std::vector<Completion> got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].tag, kWrite);
    EXPECT_GT(got[0].result, 0);
}

}  // namespace
}  // namespace superv::loop::test

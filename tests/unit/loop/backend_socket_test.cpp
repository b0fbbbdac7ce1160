// connect / send / recv and their deadlines, on loopback TCP and socket pairs.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "backend_fixture.hpp"

namespace superv::loop::test {
namespace {

constexpr Tag kSocket{TagKind::HealthIo, 5, 1};

// A loopback listener on an ephemeral port (listening once listen() ran).
class Listener {
  public:
    Listener() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        address_.sin_family = AF_INET;
        address_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address_;
        EXPECT_EQ(::bind(fd_.get(), addr(), length), 0);
        EXPECT_EQ(::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&address_), &length), 0);
    }
    void listen(int backlog = 4) { EXPECT_EQ(::listen(fd_.get(), backlog), 0); }
    const sockaddr* addr() const { return reinterpret_cast<const sockaddr*>(&address_); }
    socklen_t length() const { return sizeof address_; }

  private:
    OwnedFd fd_;
    sockaddr_in address_{};
};

int tcp_socket() {
    return ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

// Two connected stream sockets, non-blocking.
struct SocketPair {
    SocketPair() : SocketPair(make()) {}
    OwnedFd ours;
    OwnedFd theirs;

  private:
    struct Fds {
        int fds[2] = {-1, -1};
    };
    static Fds make() {
        Fds made;
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, made.fds),
                  0);
        return made;
    }
    explicit SocketPair(Fds made) : ours(made.fds[0]), theirs(made.fds[1]) {}
};

// The bytes must outlive the request: literals, or a string that stays.
std::span<const std::byte> text_bytes(std::string_view s) {
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

TEST_P(BackendTest, ConnectReachesAListener) {
    Listener listener;
    listener.listen();
    for (const bool bounded : {false, true}) {
        const OwnedFd client(tcp_socket());
        std::optional<Clock::time_point> deadline;
        if (bounded) deadline = Clock::now() + 5s;
        backend().connect(kSocket, client.get(), listener.addr(), listener.length(), deadline);
        const auto got = collect(1);
        ASSERT_EQ(got.size(), 1u);
        EXPECT_EQ(got[0], (Completion{kSocket, 0}));
        sockaddr_in peer{};
        socklen_t length = sizeof peer;
        EXPECT_EQ(::getpeername(client.get(), reinterpret_cast<sockaddr*>(&peer), &length), 0);
    }
}

TEST_P(BackendTest, ConnectToAPortNobodyListensOnIsRefused) {
    Listener bound_only;  // bound, not listening: the port refuses
    const OwnedFd client(tcp_socket());
    backend().connect(kSocket, client.get(), bound_only.addr(), bound_only.length(),
                      Clock::now() + 5s);
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (Completion{kSocket, -ECONNREFUSED}));
}

TEST_P(BackendTest, AConnectThatHangsTimesOutAtItsDeadline) {
    // A listener that never accepts, with its queue full, drops further SYNs:
    // connects to it stay in progress.
    Listener listener;
    listener.listen(0);
    std::vector<std::unique_ptr<OwnedFd>> fillers;
    for (int i = 0; i < 16; ++i) {
        auto filler = std::make_unique<OwnedFd>(tcp_socket());
        ::connect(filler->get(), listener.addr(), listener.length());
        pollfd p{filler->get(), POLLOUT, 0};
        const bool done = ::poll(&p, 1, 100) == 1;
        fillers.push_back(std::move(filler));
        if (!done) break;
    }
    const OwnedFd client(tcp_socket());
    const auto start = Clock::now();
    backend().connect(kSocket, client.get(), listener.addr(), listener.length(), start + 100ms);
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (Completion{kSocket, -ETIMEDOUT}));
    EXPECT_GE(Clock::now() - start, 95ms);
    EXPECT_LT(Clock::now() - start, 5s);
}

TEST_P(BackendTest, SendAndRecvMoveBytes) {
    SocketPair pair;
    backend().send(kSocket, pair.ours.get(), text_bytes("ping"), Clock::now() + 5s);
    auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (Completion{kSocket, 4}));
    char seen[8] = {};
    EXPECT_EQ(::read(pair.theirs.get(), seen, sizeof seen), 4);
    EXPECT_STREQ(seen, "ping");

    std::vector<std::byte> buffer(16);
    backend().recv(kSocket, pair.ours.get(), buffer, Clock::now() + 5s);
    expect_only_sentinel();  // nothing sent yet
    ASSERT_EQ(::write(pair.theirs.get(), "pong", 4), 4);
    got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (Completion{kSocket, 4}));
    EXPECT_EQ(std::memcmp(buffer.data(), "pong", 4), 0);

    backend().recv(kSocket, pair.ours.get(), buffer, std::nullopt);
    ::shutdown(pair.theirs.get(), SHUT_WR);
    got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (Completion{kSocket, 0}));  // end of stream
}

TEST_P(BackendTest, ARecvWithNothingToReadTimesOutAtItsDeadline) {
    SocketPair pair;
    std::vector<std::byte> buffer(16);
    const auto start = Clock::now();
    backend().recv(kSocket, pair.ours.get(), buffer, start + 50ms);
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (Completion{kSocket, -ETIMEDOUT}));
    EXPECT_GE(Clock::now() - start, 45ms);
}

TEST_P(BackendTest, ADeadlineThatHasPassedTimesOutAtOnce) {
    SocketPair pair;
    std::vector<std::byte> buffer(16);
    backend().recv(kSocket, pair.ours.get(), buffer, Clock::now() - 1s);
    const auto got = collect(1, 2s);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (Completion{kSocket, -ETIMEDOUT}));
}

TEST_P(BackendTest, ASendToAFullSocketTimesOutAtItsDeadline) {
    SocketPair pair;
    const std::string block(65536, 'x');
    while (::send(pair.ours.get(), block.data(), block.size(), MSG_NOSIGNAL) > 0) {
    }
    backend().send(kSocket, pair.ours.get(), text_bytes(block), Clock::now() + 50ms);
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (Completion{kSocket, -ETIMEDOUT}));
}

TEST_P(BackendTest, ARequestDoneBeforeItsDeadlineCompletesOnce) {
    SocketPair pair;
    ASSERT_EQ(::write(pair.theirs.get(), "x", 1), 1);
    std::vector<std::byte> buffer(16);
    backend().recv(kSocket, pair.ours.get(), buffer, Clock::now() + 30ms);
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (Completion{kSocket, 1}));
    expect_only_sentinel(100ms);  // past the deadline: nothing more
    // The tag is free again.
    backend().recv(kSocket, pair.ours.get(), buffer, Clock::now() + 30ms);
    EXPECT_EQ(collect(1)[0], (Completion{kSocket, -ETIMEDOUT}));
}

TEST_P(BackendTest, ACancelledRequestWithADeadlineCompletesCancelledOnce) {
    SocketPair pair;
    std::vector<std::byte> buffer(16);
    backend().recv(kSocket, pair.ours.get(), buffer, Clock::now() + 30ms);
    backend().submit();
    backend().cancel(kSocket);
    const auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (Completion{kSocket, -ECANCELED}));
    expect_only_sentinel(100ms);
}

TEST_P(BackendTest, ABusyTagIsRefusedAndLeavesTheRequestAlone) {
    SocketPair pair;
    std::vector<std::byte> buffer(16);
    backend().recv(kSocket, pair.ours.get(), buffer, Clock::now() + 5s);
    backend().send(kSocket, pair.ours.get(), text_bytes("x"), Clock::now() + 5s);
    auto got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (Completion{kSocket, -EEXIST}));
    ASSERT_EQ(::write(pair.theirs.get(), "y", 1), 1);
    got = collect(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], (Completion{kSocket, 1}));
}

}  // namespace
}  // namespace superv::loop::test

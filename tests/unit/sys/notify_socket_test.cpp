// NotifySocket: where it lives, who may reach it, what it hands out and what
// it drops.
#include "superv/sys/notify_socket.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "test_support.hpp"

namespace superv::sys {
namespace {

using testing::TempDir;

// Sends `text` to `path`, with `fd` passed along (SCM_RIGHTS) unless -1.
void send_to(const std::string& path, std::string_view text, int fd = -1) {
    const Fd sender(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ASSERT_TRUE(sender.valid());
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    iovec io{const_cast<char*>(text.data()), text.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr message{};
    message.msg_name = &address;
    message.msg_namelen = sizeof address;
    message.msg_iov = &io;
    message.msg_iovlen = 1;
    if (fd >= 0) {
        message.msg_control = control;
        message.msg_controllen = sizeof control;
        cmsghdr* c = CMSG_FIRSTHDR(&message);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    ASSERT_EQ(::sendmsg(sender.get(), &message, 0), static_cast<ssize_t>(text.size()))
        << std::strerror(errno);
}

mode_t mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

TEST(NotifySocket, HandsOutEachDatagramWithTheSendersCredentials) {
    const TempDir tmp;
    auto socket = NotifySocket::open(tmp.path() + "/n", NotifyAccess::Owner);
    ASSERT_TRUE(socket.ok()) << socket.error().message();
    const int flags = ::fcntl(socket->fd(), F_GETFL);
    EXPECT_TRUE(flags & O_NONBLOCK);
    EXPECT_TRUE(::fcntl(socket->fd(), F_GETFD) & FD_CLOEXEC);

    send_to(socket->path(), "READY=1");
    send_to(socket->path(), "STATUS=two");
    auto first = socket->receive();
    ASSERT_TRUE(first.ok() && first.value());
    const NotifyDatagram& d = *first.value();
    EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(d.payload.data()), d.payload.size()),
              "READY=1");
    EXPECT_EQ(d.pid, ::getpid());
    EXPECT_EQ(d.uid, ::getuid());
    EXPECT_EQ(d.gid, ::getgid());
    auto second = socket->receive();
    ASSERT_TRUE(second.ok() && second.value());
    EXPECT_EQ(second.value()->payload.size(), 10u);
    auto none = socket->receive();
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none.value());
}

TEST(NotifySocket, DropsADatagramOverTheCapButNotOneAtIt) {
    const TempDir tmp;
    auto socket = NotifySocket::open(tmp.path() + "/n", NotifyAccess::Owner);
    ASSERT_TRUE(socket.ok()) << socket.error().message();
    send_to(socket->path(), std::string(kMaxNotifyDatagram + 1, 'x'));
    send_to(socket->path(), std::string(kMaxNotifyDatagram, 'y'));
    auto got = socket->receive();
    ASSERT_TRUE(got.ok() && got.value());
    EXPECT_EQ(got.value()->payload.size(), kMaxNotifyDatagram);
    EXPECT_EQ(socket->dropped(), 1u);
}

TEST(NotifySocket, ClosesFdsPassedAlongSoABarrierIsReleased) {
    const TempDir tmp;
    auto socket = NotifySocket::open(tmp.path() + "/n", NotifyAccess::Owner);
    ASSERT_TRUE(socket.ok()) << socket.error().message();
    auto pipe = make_pipe(O_NONBLOCK);
    ASSERT_TRUE(pipe.ok());
    send_to(socket->path(), "BARRIER=1", pipe->second.get());
    pipe->second.reset();  // only the copy in flight is left
    auto got = socket->receive();
    ASSERT_TRUE(got.ok() && got.value());
    char byte;
    EXPECT_EQ(::read(pipe->first.get(), &byte, 1), 0) << "the passed write end is still open";
}

TEST(NotifySocket, IsPrivateOrOpenToAnyUserAsAsked) {
    const TempDir tmp;
    {
        auto owner = NotifySocket::open(tmp.path() + "/owner", NotifyAccess::Owner);
        ASSERT_TRUE(owner.ok()) << owner.error().message();
        EXPECT_EQ(mode_of(tmp.path() + "/owner"), 0700u);
        EXPECT_EQ(mode_of(owner->path()), 0600u);
    }
    auto any = NotifySocket::open(tmp.path() + "/any", NotifyAccess::AnyUser);
    ASSERT_TRUE(any.ok()) << any.error().message();
    EXPECT_EQ(mode_of(tmp.path() + "/any"), 0711u);
    EXPECT_EQ(mode_of(any->path()), 0666u);
}

TEST(NotifySocket, ReplacesAStaleSocketAndRemovesItsFileWhenDone) {
    const TempDir tmp;
    const std::string dir = tmp.path() + "/n";
    std::string path;
    {
        auto first = NotifySocket::open(dir, NotifyAccess::Owner);
        ASSERT_TRUE(first.ok()) << first.error().message();
        path = first->path();
        // A superv that died leaves its file: simulate with a second bind.
        ASSERT_EQ(::link(path.c_str(), (dir + "/kept").c_str()), 0);
    }
    EXPECT_NE(::access(path.c_str(), F_OK), 0) << "the file outlived its socket";
    ASSERT_EQ(::rename((dir + "/kept").c_str(), path.c_str()), 0);
    auto again = NotifySocket::open(dir, NotifyAccess::Owner);
    ASSERT_TRUE(again.ok()) << again.error().message();
    send_to(again->path(), "READY=1");
    auto got = again->receive();
    ASSERT_TRUE(got.ok() && got.value());
}

TEST(NotifySocket, RefusesADirectoryItDoesNotOwnOrASymlink) {
    const TempDir tmp;
    ASSERT_EQ(::symlink(tmp.path().c_str(), (tmp.path() + "/link").c_str()), 0);
    auto linked = NotifySocket::open(tmp.path() + "/link", NotifyAccess::Owner);
    ASSERT_FALSE(linked.ok());
    EXPECT_EQ(linked.error().err, ENOTDIR);

    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a directory away";
    const std::string theirs = tmp.path() + "/theirs";
    ASSERT_EQ(::mkdir(theirs.c_str(), 0700), 0);
    ASSERT_EQ(::chown(theirs.c_str(), 65534, 65534), 0);
    auto refused = NotifySocket::open(theirs, NotifyAccess::Owner);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().err, EPERM);
}

TEST(NotifySocket, RefusesAPathTooLongForSockaddrUn) {
    const std::string dir = "/tmp/" + std::string(120, 'd');
    auto refused = NotifySocket::open(dir, NotifyAccess::Owner);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().err, ENAMETOOLONG);
    EXPECT_NE(::access(dir.c_str(), F_OK), 0) << "a directory was made for nothing";
}

}  // namespace
}  // namespace superv::sys

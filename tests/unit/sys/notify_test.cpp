// sd_notify datagrams reach a socket bound where $NOTIFY_SOCKET says.
#include "superv/sys/notify.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include "superv/sys/fd.hpp"

namespace superv::sys {
namespace {

// A datagram socket bound to `name` (a path, or '@' + an abstract name).
Fd bind_datagram(const std::string& name) {
    Fd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    EXPECT_TRUE(fd.valid());
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.data(), name.size());
    socklen_t length = offsetof(sockaddr_un, sun_path) + name.size();
    if (name.front() == '@') {
        address.sun_path[0] = '\0';
    } else {
        length += 1;
    }
    EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), length), 0)
        << std::strerror(errno);
    return fd;
}

std::string receive(const Fd& fd) {
    char buffer[256];
    ssize_t n = ::recv(fd.get(), buffer, sizeof buffer, 0);
    if (n < 0) return "<nothing: " + std::string(std::strerror(errno)) + ">";
    return std::string(buffer, static_cast<std::size_t>(n));
}

class NotifyTest : public ::testing::Test {
  protected:
    void TearDown() override { ::unsetenv("NOTIFY_SOCKET"); }
};

TEST_F(NotifyTest, SendsOneDatagramToAPathSocket) {
    char dir[] = "/tmp/superv-notify-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    const std::string path = std::string(dir) + "/notify";
    Fd server = bind_datagram(path);
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);

    ASSERT_TRUE(notify("READY=1").ok());
    ASSERT_TRUE(notify("STOPPING=1").ok());
    EXPECT_EQ(receive(server), "READY=1");
    EXPECT_EQ(receive(server), "STOPPING=1");
    ::unlink(path.c_str());
    ::rmdir(dir);
}

TEST_F(NotifyTest, SendsToAnAbstractSocket) {
    const std::string name = "@superv-notify-test-" + std::to_string(::getpid());
    Fd server = bind_datagram(name);
    ::setenv("NOTIFY_SOCKET", name.c_str(), 1);

    ASSERT_TRUE(notify("READY=1").ok());
    EXPECT_EQ(receive(server), "READY=1");
}

TEST_F(NotifyTest, DoesNothingWithoutNotifySocket) {
    ::unsetenv("NOTIFY_SOCKET");
    EXPECT_TRUE(notify("READY=1").ok());
    ::setenv("NOTIFY_SOCKET", "", 1);
    EXPECT_TRUE(notify("READY=1").ok());
}

TEST_F(NotifyTest, FailsWhenNobodyListens) {
    ::setenv("NOTIFY_SOCKET", "/nonexistent/superv-notify", 1);
    auto result = notify("READY=1");
    ASSERT_FALSE(result.ok());
    EXPECT_STREQ(result.error().call, "sendto");
    EXPECT_EQ(result.error().err, ENOENT);
}

TEST_F(NotifyTest, RejectsAddressesItCannotUse) {
    ::setenv("NOTIFY_SOCKET", "vsock:2:1234", 1);
    auto relative = notify("READY=1");
    ASSERT_FALSE(relative.ok());
    EXPECT_EQ(relative.error().err, EAFNOSUPPORT);

    ::setenv("NOTIFY_SOCKET", ("/" + std::string(200, 'x')).c_str(), 1);
    auto too_long = notify("READY=1");
    ASSERT_FALSE(too_long.ok());
    EXPECT_EQ(too_long.error().err, ENAMETOOLONG);
}

TEST_F(NotifyTest, LeavesNoDescriptorOpen) {
    ::setenv("NOTIFY_SOCKET", "@superv-notify-nobody", 1);
    int lowest_free = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ::close(lowest_free);
    (void)notify("READY=1");
    int next = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    EXPECT_EQ(next, lowest_free);  // the socket's descriptor was closed again
    ::close(next);
}

}  // namespace
}  // namespace superv::sys

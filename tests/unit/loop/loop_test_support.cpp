#include "loop_test_support.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace superv::loop {

void PrintTo(const Tag& tag, std::ostream* os) {
    *os << "Tag{" << int(tag.kind) << ", " << tag.slot << ", " << tag.gen << "}";
}

void PrintTo(const Completion& completion, std::ostream* os) {
    PrintTo(completion.tag, os);
    *os << " -> " << completion.result;
    if (completion.result < 0) *os << " (" << std::strerror(-completion.result) << ")";
}

void PrintTo(BackendKind kind, std::ostream* os) {
    switch (kind) {
        case BackendKind::Auto:
            *os << "Auto";
            return;
        case BackendKind::Uring:
            *os << "Uring";
            return;
        case BackendKind::Epoll:
            *os << "Epoll";
            return;
        case BackendKind::UringPoll:
            *os << "UringPoll";
            return;
    }
}

}  // namespace superv::loop

namespace superv::loop::test {

Child::Child(const std::function<int()>& body) {
    pid_ = ::fork();
    if (pid_ == 0) ::_exit(body());
    if (pid_ < 0) {
        ADD_FAILURE() << "fork: " << std::strerror(errno);
        return;
    }
    // The child cannot be reaped before this, so the pid still names it.
    pidfd_ = pidfd_open(pid_);
    if (pidfd_ < 0) ADD_FAILURE() << "pidfd_open: " << std::strerror(errno);
}

Child::~Child() {
    if (pidfd_ < 0) return;
    if (!reaped_) {
        send_signal(pidfd_, SIGKILL);
        siginfo_t info{};
        while (::waitid(P_PIDFD, static_cast<id_t>(pidfd_), &info, WEXITED) < 0 && errno == EINTR) {
        }
    }
    ::close(pidfd_);
}

bool Child::is_reaped() const {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG) < 0 &&
           errno == ECHILD;
}

void Child::wait_until_zombie() const {
    siginfo_t info{};
    while (::waitid(P_PIDFD, static_cast<id_t>(pidfd_), &info, WEXITED | WNOWAIT) < 0 &&
           errno == EINTR) {
    }
}

Pipe::Pipe() {
    int fds[2];
    if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) {
        ADD_FAILURE() << "pipe2: " << std::strerror(errno);
        return;
    }
    read_end = fds[0];
    write_end = fds[1];
}

Pipe::~Pipe() {
    if (read_end >= 0) ::close(read_end);
    close_write();
}

void Pipe::close_write() {
    if (write_end >= 0) ::close(write_end);
    write_end = -1;
}

OwnedFd::~OwnedFd() {
    if (fd_ >= 0) ::close(fd_);
}

namespace {

sockaddr_un abstract_address(const std::string& name, socklen_t* len) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    // Abstract namespace: a leading NUL, no file to clean up.
    std::memcpy(addr.sun_path + 1, name.data(), name.size());
    *len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    return addr;
}

}  // namespace

Listener::Listener() : fd_(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {
    static std::atomic<int> counter{0};
    name_ = "superv-loop-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    socklen_t len = 0;
    const sockaddr_un addr = abstract_address(name_, &len);
    if (::bind(fd(), reinterpret_cast<const sockaddr*>(&addr), len) < 0 || ::listen(fd(), 16) < 0) {
        ADD_FAILURE() << "bind/listen: " << std::strerror(errno);
    }
}

int Listener::connect() const {
    const int client = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    socklen_t len = 0;
    const sockaddr_un addr = abstract_address(name_, &len);
    if (::connect(client, reinterpret_cast<const sockaddr*>(&addr), len) < 0) {
        ADD_FAILURE() << "connect: " << std::strerror(errno);
    }
    return client;
}

int send_signal(int pidfd, int sig) {
    return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

int pidfd_open(pid_t pid) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

std::string text(const std::byte* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace superv::loop::test

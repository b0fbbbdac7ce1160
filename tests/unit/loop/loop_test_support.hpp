// Helpers for the loop tests: real children, pipes and sockets that clean up
// after themselves, and gtest printing for completions.
#pragma once

#include <sys/types.h>

#include <functional>
#include <ostream>
#include <string>

#include "superv/loop/backend.hpp"

namespace superv::loop {

inline bool operator==(const Completion& a, const Completion& b) {
    return a.tag == b.tag && a.result == b.result;
}
void PrintTo(const Tag& tag, std::ostream* os);
void PrintTo(const Completion& completion, std::ostream* os);
void PrintTo(BackendKind kind, std::ostream* os);

}  // namespace superv::loop

namespace superv::loop::test {

// A forked child that runs `body` and _exits with its result. Only
// async-signal-safe work belongs in `body`. The destructor SIGKILLs and reaps
// a child that nobody reaped.
class Child {
  public:
    explicit Child(const std::function<int()>& body);
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    pid_t pid() const { return pid_; }
    int pidfd() const { return pidfd_; }
    // Someone else (a backend, the test) reaped it.
    void mark_reaped() { reaped_ = true; }
    // No zombie left: waitid(P_PID, pid, WEXITED | WNOHANG) fails with ECHILD.
    bool is_reaped() const;
    // Blocks until the child has exited, without reaping it.
    void wait_until_zombie() const;

  private:
    pid_t pid_ = -1;
    int pidfd_ = -1;
    bool reaped_ = false;
};

// A non-blocking close-on-exec pipe.
struct Pipe {
    Pipe();
    ~Pipe();
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void close_write();

    int read_end = -1;
    int write_end = -1;
};

// An fd closed on destruction.
class OwnedFd {
  public:
    explicit OwnedFd(int fd = -1) : fd_(fd) {}
    ~OwnedFd();
    OwnedFd(const OwnedFd&) = delete;
    OwnedFd& operator=(const OwnedFd&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

// A listening AF_UNIX stream socket (non-blocking, close-on-exec) in the
// abstract namespace, and a way to connect to it.
class Listener {
  public:
    Listener();
    int fd() const { return fd_.get(); }
    int connect() const;  // a new blocking client socket, connected

  private:
    OwnedFd fd_;
    std::string name_;
};

std::string text(const std::byte* data, std::size_t size);

// pidfd_send_signal(2). Called through syscall(2): glibc 2.36's <sys/pidfd.h>
// lacks extern "C", so its functions do not link from C++.
int send_signal(int pidfd, int sig);
int pidfd_open(pid_t pid);

}  // namespace superv::loop::test

// The receiving side of sd_notify(3): the AF_UNIX datagram socket whose path
// programs with ready = "notify" get as $NOTIFY_SOCKET. (superv's own
// sending side, for when systemd runs it, is notify.hpp.)
//
// Every datagram comes with the sender's pid, uid and gid, vouched for by the
// kernel (SO_PASSCRED): that, not the socket's permissions, is what keeps one
// program from speaking for another (see core/readiness/notify_sender.hpp).
// The permissions only keep other users of the machine out.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "superv/common/result.hpp"
#include "superv/sys/fd.hpp"

namespace superv::sys {

// systemd's cap on a notify datagram (NOTIFY_BUFFER_MAX = PIPE_BUF).
inline constexpr std::size_t kMaxNotifyDatagram = 4096;

// Who may reach the socket. Owner: only superv's uid (and root); enough when
// every notify program runs as superv's user. AnyUser: a program that runs
// as another user (`user = ...`) needs it; the directory is then 0711, so it
// can be passed but not listed, and the socket 0666, as systemd's
// /run/systemd/notify.
enum class NotifyAccess { Owner, AnyUser };

struct NotifyDatagram {
    std::span<const std::byte> payload;  // valid until the next receive()
    pid_t pid = 0;                       // 0: the sender is outside superv's pid namespace
    uid_t uid = 0;
    gid_t gid = 0;
};

class NotifySocket {
  public:
    // Creates `dir` (0700 for Owner) unless it exists, in which case it must
    // be a directory (not a symlink) owned by superv's effective uid, and
    // gets the mode; then binds DIR/notify (a stale socket file there is
    // replaced), non-blocking and close-on-exec. Errors name the call.
    static Result<NotifySocket> open(const std::string& dir, NotifyAccess access);

    NotifySocket(NotifySocket&&) = default;
    NotifySocket& operator=(NotifySocket&&) = delete;  // would leave the old file behind
    ~NotifySocket();                                   // unlinks the socket file

    int fd() const { return fd_.get(); }
    const std::string& path() const { return path_; }  // the value of $NOTIFY_SOCKET

    // The next datagram, or nullopt when none is queued. A datagram longer
    // than kMaxNotifyDatagram, or without credentials, is dropped (counted
    // in dropped()) and the next one taken. File descriptors passed along
    // (FDSTORE=1, BARRIER=1) are closed at once: superv keeps none, and the
    // close is what a BARRIER=1 sender waits for.
    Result<std::optional<NotifyDatagram>> receive();

    std::uint64_t dropped() const { return dropped_; }

  private:
    NotifySocket(Fd fd, std::string path);

    Fd fd_;
    std::string path_;
    std::vector<std::byte> buffer_;
    std::uint64_t dropped_ = 0;
};

}  // namespace superv::sys

// The notify socket on the loop: the daemon polls fd() for readability
// (Backend::poll_readable) and calls drain() at each completion, then polls
// again. Each datagram is parsed and attributed before the next is read (so a
// BARRIER=1 sender is still alive while its READY=1 is attributed, see
// notify_sender.hpp); what is garbage, unattributed or truncated is dropped
// and counted, never applied.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "superv/common/result.hpp"
#include "superv/core/readiness/notify_message.hpp"
#include "superv/core/readiness/notify_sender.hpp"
#include "superv/sys/notify_socket.hpp"

namespace superv::core::readiness {

// One accepted message, for the supervised process with pid `process`.
struct NotifyEvent {
    pid_t process = 0;
    pid_t sender = 0;  // the process that sent it: `process` or a descendant
    NotifyMessage message;
};

struct NotifyDrops {
    std::uint64_t garbage = 0;       // parse_notify_message refused it
    std::uint64_t unattributed = 0;  // from no supervised process or descendant
    std::uint64_t refused = 0;       // by the socket: truncated, no credentials
};

// What a program with ready = "notify" gets in its environment:
// NOTIFY_SOCKET=`socket_path`, and MANAGERPID=`superv_pid`, without which
// systemd-notify run as root by a program's main process (`exec
// systemd-notify --ready`, or one started by superv directly) would claim to
// speak for its parent, which is superv, and be dropped.
std::vector<std::string> notify_environment(const std::string& socket_path, pid_t superv_pid);

// The parent chain from /proc/PID/stat (sys::read_proc_stat).
std::optional<ProcessAncestry> proc_ancestry(pid_t pid);

class NotifyInbox {
  public:
    // At most this many datagrams per drain(): a flood cannot hold the loop;
    // the fd is still readable, so the next poll completes at once.
    static constexpr std::size_t kDrainBudget = 64;

    explicit NotifyInbox(sys::NotifySocket socket, AncestryLookup lookup = proc_ancestry);

    int fd() const { return socket_.fd(); }
    const std::string& path() const { return socket_.path(); }  // $NOTIFY_SOCKET

    // Reads what is queued (up to `budget` datagrams) and hands each accepted
    // message to `deliver`, except those with nothing superv acts on
    // (NotifyMessage::empty(), e.g. BARRIER=1). Returns how many datagrams were read; an error
    // only for a failing recvmsg.
    Result<std::size_t> drain(const IsSupervised& is_supervised,
                              const std::function<void(const NotifyEvent&)>& deliver,
                              std::size_t budget = kDrainBudget);

    NotifyDrops drops() const;

  private:
    sys::NotifySocket socket_;
    AncestryLookup lookup_;
    NotifyDrops drops_;
};

}  // namespace superv::core::readiness

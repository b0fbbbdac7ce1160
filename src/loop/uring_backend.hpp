// The io_uring backend: every request is one SQE whose user_data is the tag,
// and a batch of requests is one io_uring_submit.
#pragma once

#include <liburing.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "superv/loop/backend.hpp"

namespace superv::loop {

class UringBackend final : public Backend {
  public:
    // force_poll_exits: wait for exits with POLL_ADD + waitid even where
    // IORING_OP_WAITID exists.
    static Result<std::unique_ptr<Backend>> create(bool force_poll_exits);
    ~UringBackend() override;

    std::string_view name() const override;
    void wait_exit(Tag tag, int pidfd, siginfo_t* info) override;
    void timer(Tag tag, Clock::time_point deadline) override;
    void read(Tag tag, int fd, std::span<std::byte> buf) override;
    void write(Tag tag, int fd, std::span<const std::byte> buf) override;
    void connect(Tag tag, int fd, const sockaddr* addr, socklen_t len,
                 std::optional<Clock::time_point> deadline) override;
    void send(Tag tag, int fd, std::span<const std::byte> buf,
              std::optional<Clock::time_point> deadline) override;
    void recv(Tag tag, int fd, std::span<std::byte> buf,
              std::optional<Clock::time_point> deadline) override;
    void accept(Tag tag, int fd) override;
    void poll_readable(Tag tag, int fd) override;
    void cancel(Tag tag) override;
    std::size_t submit() override;
    Result<void> wait(std::vector<Completion>& out) override;

  private:
    enum class Op : std::uint8_t {
        ExitWaitid,
        ExitPoll,
        Timer,
        Read,
        Write,
        Accept,
        Poll,
        Connect,  // buf: the address, len: its length
        Send,
        Recv
    };

    // What the backend remembers about a request until its completion. The
    // map's nodes never move, so `deadline` is a stable address for the
    // TIMEOUT or LINK_TIMEOUT SQE, which the kernel reads only when the SQE
    // is submitted.
    struct Pending {
        Op op;
        int fd = -1;
        void* buf = nullptr;
        unsigned len = 0;
        siginfo_t* info = nullptr;
        __kernel_timespec deadline{};
        // A socket request with a deadline: every SQE issued for it is linked
        // to a LINK_TIMEOUT at `deadline`.
        bool linked_deadline = false;
        // A POLL_ADD is in flight before the operation itself is (re)issued.
        bool awaiting_readiness = false;
        // cancel() was called: never re-arm, even if the cancel found nothing
        // in flight because the request was between two SQEs.
        bool cancel_requested = false;
        // Completed without a CQE (its result waits in early_): the tag stays
        // busy until wait() hands the result out, like any other.
        bool completed_early = false;
    };
    struct RawCqe {
        std::uint64_t user_data;
        int res;
    };

    // user_data of the backend's own SQEs (cancels): their CQEs are receipts.
    static constexpr std::uint64_t kInternal = Tag{}.raw();

    UringBackend() = default;

    // Records the request and queues its SQE, or completes it at once when
    // its tag is refused.
    void start(Tag tag, const Pending& pending);
    // `count` consecutive SQEs (a request and its LINK_TIMEOUT must not be
    // split by a submit), submitting what is queued when the SQ lacks room;
    // null only when even that fails. The first is returned.
    io_uring_sqe* get_sqe(unsigned count = 1);
    // After `sqe` (just prepared for `pending`): its LINK_TIMEOUT, if it has
    // a deadline. get_sqe(2) made the room.
    void link_deadline(io_uring_sqe* sqe, Pending& pending);
    // `pending` bounded by `deadline`, if any.
    static Pending bounded(Pending pending, std::optional<Clock::time_point> deadline);
    void issue(std::uint64_t raw, Pending& pending);
    void arm_poll(std::uint64_t raw, Pending& pending, unsigned events);
    void on_cqe(std::uint64_t raw, int res, std::vector<Completion>& out);
    void finish(std::uint64_t raw, int res, std::vector<Completion>& out);
    void finish_early(std::uint64_t raw, int res);
    void drain(std::vector<Completion>& out);
    void cancel_everything();

    io_uring ring_{};
    bool ring_ready_ = false;
    bool waitid_ = false;
    // Buckets for 1024 operations from the start, as reserve(1024) would give,
    // but sized by libstdc++'s out-of-line _M_next_bkt: reserve() rounds with
    // an inline ceil() that would make the lean build map libm.
    static constexpr std::size_t kPendingBuckets = 1024;
    std::unordered_map<std::uint64_t, Pending> pending_ =
        std::unordered_map<std::uint64_t, Pending>(kPendingBuckets);
    // Results decided without the kernel (refused tags, exits reaped at once,
    // a full SQ); wait() delivers them without sleeping.
    std::vector<Completion> early_;
    std::vector<RawCqe> scratch_;
};

}  // namespace superv::loop

// The io_uring backend's completion side: CQEs in, consumer completions out.
#include <poll.h>

#include <cerrno>
#include <chrono>

#include "ready_io.hpp"
#include "uring_backend.hpp"

namespace superv::loop {

Result<void> UringBackend::wait(std::vector<Completion>& out) {
    const std::size_t before = out.size();
    for (;;) {
        drain(out);
        for (const Completion& c : early_) {
            // A refused request (-EEXIST) must not free its tag's pending
            // namesake: only entries that completed early go.
            auto it = pending_.find(c.tag.raw());
            if (it != pending_.end() && it->second.completed_early) pending_.erase(it);
        }
        out.insert(out.end(), early_.begin(), early_.end());
        early_.clear();
        if (out.size() > before) {
            submit();  // retries queued while draining
            return Ok{};
        }
        // A CQE that is only a cancel's receipt or a re-armed poll wakes us
        // without anything to deliver: go back to sleep. EINTR can come after
        // the submit part succeeded, in which case the count is returned.
        const int rc = io_uring_submit_and_wait(&ring_, 1);
        if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
            return SysError{"io_uring_enter", -rc};
        }
    }
}

void UringBackend::on_cqe(std::uint64_t raw, int res, std::vector<Completion>& out) {
    if (raw == kInternal) return;  // a cancel's receipt
    auto it = pending_.find(raw);
    if (it == pending_.end()) return;
    Pending& p = it->second;
    switch (p.op) {
        case Op::Timer:
            // A pure timeout (count 0) "fails" with -ETIME when it expires.
            finish(raw, res == -ETIME ? 0 : res, out);
            return;
        case Op::ExitWaitid:
        case Op::Poll:
            finish(raw, res, out);
            return;
        case Op::ExitPoll: {
            const int reaped = res < 0 ? res : reap_exit(p.fd, p.info);
            if (reaped != -EAGAIN) {
                finish(raw, reaped, out);
            } else if (p.cancel_requested) {
                finish(raw, -ECANCELED, out);
            } else {
                issue(raw, p);  // readable but nothing to reap (yet): wait again
            }
            return;
        }
        case Op::Read:
        case Op::Write:
        case Op::Accept:
        case Op::Connect:
        case Op::Send:
        case Op::Recv:
            break;
    }
    // Cancelled but not by cancel(): its linked timeout fired.
    if (res == -ECANCELED && p.linked_deadline && !p.cancel_requested) res = -ETIMEDOUT;
    if (p.awaiting_readiness) {
        p.awaiting_readiness = false;
        if (res < 0) {
            finish(raw, res, out);
        } else if (p.cancel_requested) {
            finish(raw, -ECANCELED, out);
        } else if (p.op == Op::Connect) {
            finish(raw, connect_result(p.fd), out);
        } else {
            issue(raw, p);
        }
        return;
    }
    // A connect the kernel left in progress ends like one under epoll.
    const bool in_progress = p.op == Op::Connect && (res == -EINPROGRESS || res == -EALREADY);
    if (res != -EAGAIN && !in_progress) {
        finish(raw, res, out);
        return;
    }
    // Kernels before ~6.8 return -EAGAIN instead of waiting for an O_NONBLOCK
    // file whose driver lacks FMODE_NOWAIT (signalfd, timerfd): wait for
    // readiness ourselves, then issue the operation again.
    if (p.cancel_requested) {
        finish(raw, -ECANCELED, out);
    } else {
        const bool out_bound = p.op == Op::Write || p.op == Op::Send || p.op == Op::Connect;
        arm_poll(raw, p, out_bound ? POLLOUT : POLLIN);
    }
}

void UringBackend::finish(std::uint64_t raw, int res, std::vector<Completion>& out) {
    pending_.erase(raw);
    out.push_back(Completion{Tag::from_raw(raw), res});
}

void UringBackend::finish_early(std::uint64_t raw, int res) {
    pending_[raw].completed_early = true;
    early_.push_back(Completion{Tag::from_raw(raw), res});
}

void UringBackend::drain(std::vector<Completion>& out) {
    for (;;) {
        // Copy the CQEs out and release their slots before handling them:
        // handling may queue SQEs, and the kernel can post into freed slots.
        scratch_.clear();
        unsigned head = 0;
        io_uring_cqe* cqe = nullptr;
        io_uring_for_each_cqe(&ring_, head, cqe) {
            scratch_.push_back(RawCqe{cqe->user_data, cqe->res});
        }
        io_uring_cq_advance(&ring_, static_cast<unsigned>(scratch_.size()));
        for (const RawCqe& c : scratch_)
            on_cqe(c.user_data, c.res, out);
        if (!scratch_.empty()) continue;
        // CQEs that found the CQ full wait on the kernel's overflow list and
        // come back only when asked for.
        if (!io_uring_cq_has_overflow(&ring_)) return;
        const int rc = io_uring_get_events(&ring_);
        if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) return;
    }
}

void UringBackend::cancel_everything() {
    // Until a request completes the kernel may still write into its buffer or
    // siginfo, and ring teardown after close() is asynchronous: cancel what is
    // pending and collect the completions (bounded), so nothing lands in
    // memory the owner frees after destroying the backend.
    // Early results are dropped with the backend; no CQE will come for them.
    std::erase_if(pending_, [](const auto& entry) { return entry.second.completed_early; });
    for (auto& [raw, p] : pending_) {
        if (p.cancel_requested) continue;
        io_uring_sqe* sqe = get_sqe();
        if (sqe == nullptr) break;
        p.cancel_requested = true;
        io_uring_prep_cancel64(sqe, raw, 0);
        io_uring_sqe_set_data64(sqe, kInternal);
    }
    std::vector<Completion> dropped;
    const auto give_up = Clock::now() + std::chrono::seconds(1);
    while (!pending_.empty() && Clock::now() < give_up) {
        __kernel_timespec slice{0, 100'000'000};
        io_uring_cqe* cqe = nullptr;
        const int rc = io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &slice, nullptr);
        if (rc < 0 && rc != -ETIME && rc != -EINTR) break;
        drain(dropped);
        dropped.clear();
    }
}

}  // namespace superv::loop

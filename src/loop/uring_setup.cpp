#include "uring_setup.hpp"

#include <cerrno>
#include <memory>

namespace superv::loop {
namespace {

// Best first. SINGLE_ISSUER|DEFER_TASKRUN (6.1) runs completion work only when
// we enter the kernel to wait, so nothing interrupts the loop between waits;
// COOP_TASKRUN|TASKRUN_FLAG (5.19) at least avoids IPIs. An older kernel
// rejects unknown flags with EINVAL, which is the signal to step down.
// SUBMIT_ALL (5.18) keeps submitting after an SQE fails to prepare: that SQE
// gets an error CQE like any other, so a batch never stalls half-submitted.
constexpr unsigned kModes[] = {
    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SUBMIT_ALL,
    IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_SUBMIT_ALL,
    0,
};

struct ProbeDeleter {
    void operator()(io_uring_probe* probe) const { io_uring_free_probe(probe); }
};

}  // namespace

Result<void> setup_ring(io_uring& ring, unsigned sq_entries, unsigned cq_entries) {
    int rc = -EINVAL;
    for (unsigned mode : kModes) {
        io_uring_params params{};
        params.flags = mode | IORING_SETUP_CQSIZE;
        params.cq_entries = cq_entries;
        rc = io_uring_queue_init_params(sq_entries, &ring, &params);
        if (rc == -EINVAL) continue;
        if (rc < 0) break;
        // Without NODROP (5.5) a full CQ silently loses completions, and a lost
        // exit is a process nobody reaps: refuse, epoll is the better choice.
        if (!(params.features & IORING_FEAT_NODROP)) {
            io_uring_queue_exit(&ring);
            return SysError{"io_uring_setup (IORING_FEAT_NODROP)", EOPNOTSUPP};
        }
        return Ok{};
    }
    return SysError{"io_uring_setup", -rc};
}

Result<void> probe_ring(io_uring& ring, bool* waitid) {
    std::unique_ptr<io_uring_probe, ProbeDeleter> probe(io_uring_get_probe_ring(&ring));
    // The probe itself is 5.6+, like IORING_OP_READ/WRITE.
    if (!probe) return SysError{"io_uring_register(IORING_REGISTER_PROBE)", ENOSYS};
    for (int op : {IORING_OP_POLL_ADD, IORING_OP_TIMEOUT, IORING_OP_ASYNC_CANCEL, IORING_OP_READ,
                   IORING_OP_WRITE, IORING_OP_ACCEPT}) {
        if (!io_uring_opcode_supported(probe.get(), op)) {
            return SysError{"io_uring opcode probe", EOPNOTSUPP};
        }
    }
    *waitid = io_uring_opcode_supported(probe.get(), kOpWaitid) != 0;
    return Ok{};
}

}  // namespace superv::loop

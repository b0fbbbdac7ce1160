// Creating the ring and finding out what this kernel's io_uring can do.
#pragma once

#include <liburing.h>

#include "superv/common/result.hpp"

namespace superv::loop {

// IORING_OP_WAITID (6.7+). liburing 2.3's headers stop at opcode 48, so the
// number is spelled out.
inline constexpr int kOpWaitid = 50;

// Sets up `ring` with the best task-running mode this kernel accepts and a CQ
// of `cq_entries`. Fails with the io_uring_setup errno (-ENOSYS under seccomp,
// -EPERM in Docker or with kernel.io_uring_disabled) or when the kernel lacks
// something the backend relies on.
Result<void> setup_ring(io_uring& ring, unsigned sq_entries, unsigned cq_entries);

// Whether the ring supports every opcode the backend needs (POLL_ADD, TIMEOUT,
// ASYNC_CANCEL, READ, WRITE, ACCEPT); *waitid says whether IORING_OP_WAITID is
// there too.
Result<void> probe_ring(io_uring& ring, bool* waitid);

}  // namespace superv::loop

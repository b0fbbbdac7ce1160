// The privilege steps of spawn()'s child: resource limits, capabilities and
// no_new_privs. Like the rest of the child side it may share the parent's
// memory, so only direct system calls: libcap's cap_set_proc allocates, and
// with libpsx it would broadcast the change to every thread of the parent.
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "superv/sys/spawn_child.hpp"

namespace superv::sys::detail {
namespace {

SUPERV_CHILD_SIDE bool kept(const ChildPlan& plan, int cap) {
    return ((plan.capabilities >> cap) & 1) != 0;
}

SUPERV_CHILD_SIDE long prctl_call(int option, unsigned long arg2, unsigned long arg3 = 0) {
    return syscall(SYS_prctl, option, arg2, arg3, 0UL, 0UL);
}

// prlimit64 on this process sets soft and hard together, in 64 bits on
// every ABI (setrlimit's rlim_t is 32 bits on some).
SUPERV_CHILD_SIDE void set_limits(const ChildPlan& plan, int error_fd) {
    struct KernelRlimit64 {
        std::uint64_t cur;
        std::uint64_t max;
    };
    for (std::size_t i = 0; i < plan.limit_count; ++i) {
        const KernelRlimit64 limit{plan.limits[i].soft, plan.limits[i].hard};
        if (syscall(SYS_prlimit64, 0, plan.limits[i].resource, &limit, nullptr) != 0) {
            fail(error_fd, ChildStep::kSetrlimit, errno);
        }
    }
}

// The bounding set caps what any later execve can grant (setuid-root
// binaries, file capabilities), so everything not kept leaves it. Dropping
// takes CAP_SETPCAP in the effective set, which setuid is about to clear.
SUPERV_CHILD_SIDE void shrink_bounding_set(const ChildPlan& plan, int error_fd) {
    for (int cap = 0; cap <= plan.last_capability; ++cap) {
        if (kept(plan, cap)) continue;
        const long present = prctl_call(PR_CAPBSET_READ, static_cast<unsigned long>(cap));
        if (present < 0) fail(error_fd, ChildStep::kCapbsetDrop, errno);
        if (present == 0) continue;  // already gone: no CAP_SETPCAP needed for it
        if (prctl_call(PR_CAPBSET_DROP, static_cast<unsigned long>(cap)) != 0) {
            fail(error_fd, ChildStep::kCapbsetDrop, errno);
        }
    }
}

// permitted = effective = inheritable = the kept set. The kernel then also
// drops every ambient capability outside it (ambient must stay within
// permitted and inheritable), and raising the kept ones as ambient is what
// carries them over execve for a non-root user.
SUPERV_CHILD_SIDE void set_capability_sets(const ChildPlan& plan, int error_fd) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    const auto low = static_cast<std::uint32_t>(plan.capabilities);
    const auto high = static_cast<std::uint32_t>(plan.capabilities >> 32);
    data[0] = {low, low, low};
    data[1] = {high, high, high};
    if (syscall(SYS_capset, &header, data) != 0) fail(error_fd, ChildStep::kCapset, errno);
    for (int cap = 0; cap <= plan.last_capability; ++cap) {
        if (!kept(plan, cap)) continue;
        if (prctl_call(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, static_cast<unsigned long>(cap)) !=
            0) {
            fail(error_fd, ChildStep::kAmbientRaise, errno);
        }
    }
}

}  // namespace

SUPERV_CHILD_SIDE void apply_privileges_before_user_switch(const ChildPlan& plan, int error_fd) {
    set_limits(plan, error_fd);
    if (!plan.set_capabilities) return;
    shrink_bounding_set(plan, error_fd);
    // Without it, setuid from root to another user empties the permitted
    // set, and nothing could be kept. execve clears the flag again.
    if (plan.set_uid && prctl_call(PR_SET_KEEPCAPS, 1) != 0) {
        fail(error_fd, ChildStep::kKeepCaps, errno);
    }
}

SUPERV_CHILD_SIDE void apply_privileges_after_user_switch(const ChildPlan& plan, int error_fd) {
    if (plan.set_capabilities) set_capability_sets(plan, error_fd);
    if (plan.no_new_privs && prctl_call(PR_SET_NO_NEW_PRIVS, 1) != 0) {
        fail(error_fd, ChildStep::kNoNewPrivs, errno);
    }
}

}  // namespace superv::sys::detail

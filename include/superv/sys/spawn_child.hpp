// Internal to src/sys: the contract between spawn()'s parent side
// (spawn.cpp) and the code that runs in the new child (spawn_child.cpp).
//
// The child of a vfork-style clone shares the parent's memory and runs on a
// borrowed stack: it may not allocate, take locks or touch glibc state, so
// the parent precomputes everything into a ChildPlan of plain pointers and
// the child only makes system calls.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

#include "superv/sys/spawn.hpp"

// Marks every function that runs in the child. A vfork child shares the
// parent's memory, ASan's shadow memory included: instrumented code on the
// child's borrowed stack would poison and unpoison shadow bytes the parent
// relies on, and every later report in the parent would be bogus (the same
// holds for HWASan tags and TSan state). glibc's posix_spawn child is
// uninstrumented libc code for the same reason. UBSan keeps no such state.
#if defined(__clang__) || defined(__GNUC__)
#define SUPERV_CHILD_SIDE __attribute__((no_sanitize("address", "hwaddress", "thread")))
#else
#define SUPERV_CHILD_SIDE
#endif

namespace superv::sys::detail {

// The step that failed in the child; its name becomes SysError::call.
enum class ChildStep : int {
    kSigaction,
    kSigprocmask,
    kSetpgid,
    kDup2,
    kCloseRange,
    kChdir,
    kSetgroups,
    kSetgid,
    kSetuid,
    kExecve,
    kSetrlimit,
    kCapbsetDrop,
    kKeepCaps,
    kCapset,
    kAmbientRaise,
    kNoNewPrivs,
};

// What the child writes to the error pipe before _exit(127). 8 bytes, so the
// write is atomic (< PIPE_BUF) and a read sees all of it or nothing.
struct ChildFailure {
    int step;
    int err;
};

struct ChildPlan {
    char* const* argv = nullptr;  // null-terminated
    char* const* envp = nullptr;  // null-terminated
    // The paths to try with execve, in order, as execvp would (PATH lookup
    // already expanded by the parent).
    const char* const* exec_paths = nullptr;
    std::size_t exec_path_count = 0;

    int stdio[3] = {-1, -1, -1};  // -1: keep the inherited one
    int error_fd = -1;            // write end of the close-on-exec error pipe, >= 3
    int extra_source = -1;        // SpawnRequest::extra_fd; -1: none
    int extra_target = -1;        // >= 3, never error_fd (spawn() moves the pipe)

    bool set_umask = false;
    mode_t umask = 0;
    const char* directory = nullptr;  // null: unchanged

    bool set_groups = false;
    const gid_t* groups = nullptr;
    std::size_t group_count = 0;
    bool set_gid = false;
    gid_t gid = 0;
    bool set_uid = false;
    uid_t uid = 0;

    const ResourceLimit* limits = nullptr;
    std::size_t limit_count = 0;
    bool set_capabilities = false;
    std::uint64_t capabilities = 0;  // the ones kept, bit N = capability N
    int last_capability = 0;         // the kernel's cap_last_cap
    bool no_new_privs = false;
    bool foreground_tty = false;  // make its process group the foreground of its stdin tty
};

// Reports `err` for `step` through the error pipe, then _exit(127).
[[noreturn]] SUPERV_CHILD_SIDE void fail(int error_fd, ChildStep step, int err);

// Resource limits, the bounding set and PR_SET_KEEPCAPS: the part that needs
// superv's own capabilities (CAP_SYS_RESOURCE, CAP_SETPCAP), so it comes
// before the user switch takes them away from the effective set.
SUPERV_CHILD_SIDE void apply_privileges_before_user_switch(const ChildPlan& plan, int error_fd);

// Permitted, effective, inheritable and ambient sets, then no_new_privs: the
// part that must follow setuid, which would otherwise clear them again.
SUPERV_CHILD_SIDE void apply_privileges_after_user_switch(const ChildPlan& plan, int error_fd);

// A static string naming `step`, for SysError::call.
const char* child_step_name(int step);

// The child's whole life: prepare, exec, or report and _exit(127).
[[noreturn]] SUPERV_CHILD_SIDE void run_child(const ChildPlan& plan);

// clone() entry point: `plan` is a const ChildPlan*.
SUPERV_CHILD_SIDE int child_entry(void* plan);

}  // namespace superv::sys::detail

// no-uring EPERM|ENOSYS CMD ARGS...: runs CMD with io_uring_setup refused by
// a seccomp filter, the way Docker's default profile (EPERM) or an older
// container runtime (ENOSYS) refuses it.
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <iterator>

int main(int argc, char** argv) {
    if (argc < 3 || (std::strcmp(argv[1], "EPERM") != 0 && std::strcmp(argv[1], "ENOSYS") != 0)) {
        std::fprintf(stderr, "usage: no-uring EPERM|ENOSYS CMD ARGS...\n");
        return 2;
    }
    const unsigned err = std::strcmp(argv[1], "EPERM") == 0 ? EPERM : ENOSYS;
    sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog program{static_cast<unsigned short>(std::size(filter)), filter};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
        std::perror("no-uring: seccomp");
        return 2;
    }
    ::execvp(argv[2], argv + 2);
    std::perror("no-uring: exec");
    return 127;
}

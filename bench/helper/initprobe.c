/*
 * initprobe: an init's cost from its exec to its program's first instruction. Compiled -static,
 * so that its own start-up is a few microseconds and the same for every init measured.
 *
 *   initprobe exec STAMPS INIT [ARG...]   run as PID 1 of a fresh PID and mount namespace
 *                                         (`unshare -p -f --mount-proc initprobe exec ...`): mounts
 *                                         a tmpfs on /run (a container's own /run: no init collides
 *                                         with another one's files there), then writes "exec NS" to
 *                                         the file STAMPS and execs INIT, which keeps PID 1.
 *                                         STAMPS "-": no stamp.
 *   initprobe first STAMPS                the init's program: CLOCK_MONOTONIC first thing in main(),
 *                                         then "first NS" appended to STAMPS; exits 0.
 *   initprobe mini-init PROGRAM [ARG...]  the least an init does: posix_spawn PROGRAM, wait for
 *                                         it, exit with its code (the floor of a real init).
 *
 * NS is CLOCK_MONOTONIC in nanoseconds, the clock of Python's time.monotonic_ns().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "monotonic.h"

extern char **environ;

/* Writes "WHAT NS\n" at the end of path; 0 or -1 (reported on stderr). */
static int stamp(const char *path, int flags, const char *what, long long ns) {
    int fd = open(path, O_WRONLY | O_CLOEXEC | flags, 0644);
    if (fd < 0) {
        fprintf(stderr, "initprobe: open %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[64];
    int len = snprintf(line, sizeof line, "%s %lld\n", what, ns);
    ssize_t n = write(fd, line, (size_t)len);
    if (n != len) fprintf(stderr, "initprobe: write %s: %s\n", path, strerror(errno));
    close(fd);
    return n == len ? 0 : -1;
}

static int exec_init(const char *stamps, char **argv) {
    if (mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=4m") != 0) {
        fprintf(stderr, "initprobe: mount tmpfs on /run: %s\n", strerror(errno));
        return 1;
    }
    if (strcmp(stamps, "-") != 0) {
        /* Opened first: from the clock reading to execve there is one write(2). */
        int fd = open(stamps, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
            fprintf(stderr, "initprobe: open %s: %s\n", stamps, strerror(errno));
            return 1;
        }
        char line[64];
        int len = snprintf(line, sizeof line, "exec %lld\n", now_ns());
        if (write(fd, line, (size_t)len) != len) {
            fprintf(stderr, "initprobe: write %s: %s\n", stamps, strerror(errno));
            return 1;
        }
    }
    execv(argv[0], argv);
    fprintf(stderr, "initprobe: execv %s: %s\n", argv[0], strerror(errno));
    return 127;
}

static int mini_init(char **argv) {
    pid_t pid;
    int err = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
    if (err != 0) {
        fprintf(stderr, "initprobe: posix_spawn %s: %s\n", argv[0], strerror(err));
        return 127;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "initprobe: waitpid %d: %s\n", (int)pid, strerror(errno));
            return 1;
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv) {
    long long first = now_ns();
    if (argc >= 3 && strcmp(argv[1], "first") == 0)
        return stamp(argv[2], O_APPEND, "first", first) == 0 ? 0 : 1;
    if (argc >= 4 && strcmp(argv[1], "exec") == 0) return exec_init(argv[2], argv + 3);
    if (argc >= 3 && strcmp(argv[1], "mini-init") == 0) return mini_init(argv + 2);
    fprintf(stderr,
            "usage: initprobe exec STAMPS INIT [ARG...] | first STAMPS | "
            "mini-init PROGRAM [ARG...]\n");
    return 2;
}

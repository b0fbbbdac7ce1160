/*
 * benchfloor: what this machine charges for the work any supervisor must do, with no supervisor.
 *
 *   benchfloor HELPER FIFO respawn K   K times: posix_spawn HELPER, wait for its start stamp, SIGKILL
 *                                      it, wait for its pidfd to report the exit. One line each:
 *                                      "respawn EXIT_SEEN_NS SPAWN_TO_MAIN_NS"
 *   benchfloor HELPER FIFO batch N [P] posix_spawn N helpers one after the other (glibc's posix_spawn
 *                                      is clone(CLONE_VM|CLONE_VFORK): the caller waits for each
 *                                      exec, as a vfork-style supervisor does), then wait for every
 *                                      start stamp. With P > 1, P forked spawners share the N (the
 *                                      best any spawner can do with P CPUs). Then SIGKILL all at
 *                                      once and reap them. One line: "batch N P SPAWNED_NS
 *                                      ALL_STARTED_NS ALL_REAPED_NS" (the first and last: P = 1 only)
 *   benchfloor HELPER FIFO connect K PORT  K TCP connections to 127.0.0.1:PORT, 100 every 0.1 s
 *                                      (1000 a second, the pace of the health scenario): a
 *                                      non-blocking connect, poll() until writable, close (what
 *                                      a TCP health check must do). One line: "connect K CPU_NS
 *                                      FAILED", CPU_NS this process's time on a CPU meanwhile
 *                                      (CLOCK_PROCESS_CPUTIME_ID: the kernel's work on loopback
 *                                      included, the clock /proc/PID/schedstat reads)
 *
 * HELPER is benchhelper; it stamps "start NAME PID NS" into FIFO, which this program reads.
 * Every child is killed and reaped before this program exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "monotonic.h"

extern char **environ;

static pid_t spawn_helper(const char *helper, const char *fifo, const char *name) {
    char *argv[] = {(char *)helper, (char *)fifo, (char *)name, "term-delay", "0", NULL};
    pid_t pid;
    int err = posix_spawn(&pid, helper, NULL, NULL, argv, environ);
    if (err != 0) {
        fprintf(stderr, "posix_spawn %s: %s\n", helper, strerror(err));
        exit(1);
    }
    return pid;
}

/* Reads start stamps until `count` have arrived; returns the latest stamp time (0 on timeout). */
static long long read_starts(int fd, int count) {
    static char buf[1 << 16];
    static size_t have = 0;
    long long latest = 0;
    while (count > 0) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 30000) <= 0) return 0;
        ssize_t n = read(fd, buf + have, sizeof buf - have - 1);
        if (n <= 0) continue;
        have += (size_t)n;
        char *line = buf, *end;
        while ((end = memchr(line, '\n', (size_t)(buf + have - line))) != NULL) {
            char what[16], name[64];
            int pid;
            long long ns;
            *end = '\0';
            if (sscanf(line, "%15s %63s %d %lld", what, name, &pid, &ns) == 4 &&
                strcmp(what, "start") == 0) {
                if (ns > latest) latest = ns;
                --count;
            }
            line = end + 1;
        }
        have = (size_t)(buf + have - line);
        memmove(buf, line, have);
    }
    return latest;
}

static void kill_and_reap(pid_t pid) {
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
}

static int respawn(const char *helper, const char *fifo, int fd, int k) {
    for (int i = 0; i < k; ++i) {
        const long long t0 = now_ns();
        const pid_t pid = spawn_helper(helper, fifo, "floor");
        const long long started = read_starts(fd, 1);
        if (started == 0) {
            kill_and_reap(pid);
            return 1;
        }
        const int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        const long long k0 = now_ns();
        kill(pid, SIGKILL);
        struct pollfd p = {pidfd, POLLIN, 0};
        poll(&p, 1, 10000);
        const long long exit_seen = now_ns() - k0;
        close(pidfd);
        kill_and_reap(pid);
        printf("respawn %lld %lld\n", exit_seen, started - t0);
    }
    return 0;
}

/* A spawner of `n` helpers; they stay alive (their parent must, for PR_SET_PDEATHSIG) until
 * `release` reports EOF, then they are killed and reaped. */
static void spawner(const char *helper, const char *fifo, int n, int release) {
    pid_t *pids = calloc((size_t)n, sizeof *pids);
    for (int i = 0; i < n; ++i)
        pids[i] = spawn_helper(helper, fifo, "floor");
    char byte;
    while (read(release, &byte, 1) < 0 && errno == EINTR) {
    }
    for (int i = 0; i < n; ++i)
        kill_and_reap(pids[i]);
    free(pids);
}

static int batch(const char *helper, const char *fifo, int fd, int n, int spawners) {
    if (spawners <= 1) {
        pid_t *pids = calloc((size_t)n, sizeof *pids);
        const long long t0 = now_ns();
        for (int i = 0; i < n; ++i)
            pids[i] = spawn_helper(helper, fifo, "floor");
        const long long spawned = now_ns();
        const long long started = read_starts(fd, n);
        const long long k0 = now_ns();
        for (int i = 0; i < n; ++i)
            kill(pids[i], SIGKILL);
        for (int i = 0; i < n; ++i) {
            while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR) {
            }
        }
        const long long reaped = now_ns() - k0;
        free(pids);
        if (started == 0) return 1;
        printf("batch %d 1 %lld %lld %lld\n", n, spawned - t0, started - t0, reaped);
        return 0;
    }
    int release[2];
    if (pipe(release) != 0) return 1;
    pid_t *children = calloc((size_t)spawners, sizeof *children);
    const long long t0 = now_ns();
    for (int s = 0; s < spawners; ++s) {
        const int share = n / spawners + (s < n % spawners ? 1 : 0);
        children[s] = fork();
        if (children[s] == 0) {
            close(release[1]);
            spawner(helper, fifo, share, release[0]);
            _exit(0);
        }
    }
    const long long started = read_starts(fd, n);
    close(release[1]);
    for (int s = 0; s < spawners; ++s) {
        while (waitpid(children[s], NULL, 0) < 0 && errno == EINTR) {
        }
    }
    free(children);
    if (started == 0) return 1;
    printf("batch %d %d 0 %lld 0\n", n, spawners, started - t0);
    return 0;
}

static long long cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int connects(int k, int port) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int failed = 0;
    const long long t0 = cpu_ns();
    for (int i = 0; i < k; ++i) {
        const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) return 1;
        int ok = connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0;
        if (!ok && errno == EINPROGRESS) {
            struct pollfd p = {fd, POLLOUT, 0};
            int err = 0;
            socklen_t len = sizeof err;
            ok = poll(&p, 1, 1000) == 1 &&
                 getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
        }
        failed += !ok;
        close(fd);
        if (i % 100 == 99) {
            struct timespec pause = {0, 100000000L};
            while (nanosleep(&pause, &pause) < 0 && errno == EINTR) {
            }
        }
    }
    printf("connect %d %lld %d\n", k, cpu_ns() - t0, failed);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: %s HELPER FIFO respawn K | batch N [P] | connect K PORT\n",
                argv[0]);
        return 2;
    }
    const char *helper = argv[1], *fifo = argv[2];
    const int count = atoi(argv[4]);
    if (mkfifo(fifo, 0600) != 0 && errno != EEXIST) {
        perror("mkfifo");
        return 1;
    }
    const int fd = open(fifo, O_RDWR | O_CLOEXEC); /* O_RDWR: never EOF between helpers */
    if (fd < 0) {
        perror(fifo);
        return 1;
    }
    fcntl(fd, F_SETPIPE_SZ, 1 << 20);
    int rc = 2;
    if (strcmp(argv[3], "respawn") == 0) rc = respawn(helper, fifo, fd, count);
    if (strcmp(argv[3], "connect") == 0 && argc == 6) rc = connects(count, atoi(argv[5]));
    if (strcmp(argv[3], "batch") == 0) rc = batch(helper, fifo, fd, count, argc == 6 ? atoi(argv[5]) : 1);
    unlink(fifo);
    return rc;
}

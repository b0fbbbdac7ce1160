/*
 * benchhelper: the supervised program of the superv benchmarks.
 *
 *   benchhelper STAMP_FIFO NAME term-delay MS   on SIGTERM: wait MS, then exit 0
 *   benchhelper STAMP_FIFO NAME ignore-term     SIGTERM is stamped and ignored; only SIGKILL ends it
 *
 * At start it writes "start NAME PID NS\n" to STAMP_FIFO, NS being CLOCK_MONOTONIC in
 * nanoseconds (the clock of Python's time.monotonic_ns()), and "term NAME PID NS\n" when SIGTERM
 * arrives. Between the two it sleeps in sigwaitinfo(): an idle helper costs its supervisor nothing.
 * It never forks, so a stop leaves no orphan behind, and it dies with its parent (PR_SET_PDEATHSIG)
 * should a supervisor be killed before it could stop it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "monotonic.h"

/* One write of less than PIPE_BUF bytes: atomic on a fifo shared by every helper. */
static void stamp(int fd, const char *what, const char *name, long long ns) {
    if (fd < 0) return;
    char line[256];
    int n = snprintf(line, sizeof line, "%s %s %d %lld\n", what, name, (int)getpid(), ns);
    if (n <= 0 || n >= (int)sizeof line) return;
    while (write(fd, line, (size_t)n) < 0 && errno == EINTR) {
    }
}

static int open_stamps(const char *path) {
    /* Non-blocking open: with no reader (the runner is gone) it fails instead of hanging. */
    int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return -1;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

int main(int argc, char **argv) {
    const long long started = now_ns();
    if (argc < 4) {
        fprintf(stderr, "usage: %s STAMP_FIFO NAME term-delay MS | ignore-term\n", argv[0]);
        return 2;
    }
    const pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) return 1; /* the supervisor died before the prctl */

    const char *name = argv[2];
    const int ignore_term = strcmp(argv[3], "ignore-term") == 0;
    long delay_ms = 0;
    if (!ignore_term) {
        if (strcmp(argv[3], "term-delay") != 0 || argc < 5) {
            fprintf(stderr, "%s: unknown mode %s\n", argv[0], argv[3]);
            return 2;
        }
        delay_ms = strtol(argv[4], NULL, 10);
    }

    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, NULL);

    const int fd = open_stamps(argv[1]);
    stamp(fd, "start", name, started);
    for (;;) {
        siginfo_t info;
        if (sigwaitinfo(&term, &info) < 0) continue; /* EINTR */
        stamp(fd, "term", name, now_ns());
        if (ignore_term) continue;
        if (delay_ms > 0) sleep_ms(delay_ms);
        return 0;
    }
}

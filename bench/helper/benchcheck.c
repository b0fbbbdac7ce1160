/*
 * benchcheck: the failing health check of the superv benchmarks (scenario "health").
 *
 *   benchcheck STAMP_FIFO NAME    writes "check NAME PID NS\n" to STAMP_FIFO, then exits 1
 *
 * NS is CLOCK_MONOTONIC in nanoseconds, read just before the write (the clock of every stamp of
 * benchhelper), so that the runner can time what a supervisor does once this check has failed:
 * its exit, its reaping, and the restart it causes. Built static: its start-up is a few
 * microseconds and loads no shared library.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "monotonic.h"

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s STAMP_FIFO NAME\n", argv[0]);
        return 2;
    }
    /* Non-blocking open: with no reader (the runner is gone) it fails instead of hanging. */
    const int fd = open(argv[1], O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return 1;
    char line[256];
    const int n = snprintf(line, sizeof line, "check %s %d %lld\n", argv[2], (int)getpid(),
                           now_ns());
    if (n > 0 && n < (int)sizeof line) {
        /* One write of less than PIPE_BUF bytes: atomic on the fifo every helper shares. */
        while (write(fd, line, (size_t)n) < 0 && errno == EINTR) {
        }
    }
    return 1; /* the check fails: what the scenario times the consequence of */
}

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
 *
 * Readiness, opt-in (the start order scenario); without these variables nothing changes:
 *   BENCH_NOTIFY=1        "READY=1" to $NOTIFY_SOCKET (sd_notify; a leading '@' is abstract)
 *   BENCH_READY_FD=N      a "\n" written to fd N, then N closed (s6's notification-fd)
 *   BENCH_READY_TCP=PORT  listens on 127.0.0.1:PORT (never accepts: the backlog is enough)
 * Each is stamped "ready NAME PID NS" right after the start stamp, NS taken just before the
 * signal is given, so that the runner can time what the supervisor does with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
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

/* sd_notify(0, "READY=1") without libsystemd: one datagram to $NOTIFY_SOCKET. */
static int notify_ready(void) {
    const char *path = getenv("NOTIFY_SOCKET");
    if (path == NULL || path[0] == '\0') return -1;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    const size_t len = strlen(path);
    if (len >= sizeof addr.sun_path) return -1;
    memcpy(addr.sun_path, path, len);
    if (path[0] == '@') addr.sun_path[0] = '\0'; /* abstract namespace: no trailing NUL */
    const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    static const char message[] = "READY=1";
    const socklen_t size = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
    const ssize_t sent = sendto(fd, message, sizeof message - 1, 0, (struct sockaddr *)&addr, size);
    close(fd);
    return sent < 0 ? -1 : 0;
}

/* A listening socket on 127.0.0.1:port, kept open (and never accepted on) until the exit. */
static int listen_tcp(long port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 16) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The readiness asked for in the environment, stamped; nothing when none is. */
static void signal_ready(int stamps, const char *name) {
    const char *notify = getenv("BENCH_NOTIFY");
    const char *ready_fd = getenv("BENCH_READY_FD");
    const char *tcp = getenv("BENCH_READY_TCP");
    if (tcp != NULL) {
        const long long ns = now_ns();
        if (listen_tcp(strtol(tcp, NULL, 10)) < 0) {
            fprintf(stderr, "%s: listen on 127.0.0.1:%s: %s\n", name, tcp, strerror(errno));
            return;
        }
        stamp(stamps, "ready", name, ns);
    }
    if (ready_fd != NULL) {
        const int fd = (int)strtol(ready_fd, NULL, 10);
        const long long ns = now_ns();
        if (write(fd, "\n", 1) != 1) {
            fprintf(stderr, "%s: write to ready fd %d: %s\n", name, fd, strerror(errno));
            return;
        }
        close(fd);
        stamp(stamps, "ready", name, ns);
    }
    if (notify != NULL && strcmp(notify, "1") == 0) {
        const long long ns = now_ns();
        if (notify_ready() < 0) {
            fprintf(stderr, "%s: READY=1 to NOTIFY_SOCKET: %s\n", name, strerror(errno));
            return;
        }
        stamp(stamps, "ready", name, ns);
    }
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
    signal_ready(fd, name);
    for (;;) {
        siginfo_t info;
        if (sigwaitinfo(&term, &info) < 0) continue; /* EINTR */
        stamp(fd, "term", name, now_ns());
        if (ignore_term) continue;
        if (delay_ms > 0) sleep_ms(delay_ms);
        return 0;
    }
}

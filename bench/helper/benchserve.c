/*
 * benchserve: the server the health checks of the superv benchmarks probe (scenario "health").
 *
 *   benchserve tcp    accepts every connection on 127.0.0.1 and closes it at once
 *   benchserve http   accepts, reads the request head (up to its blank line), answers
 *                     "HTTP/1.1 200 OK" with an empty body and Connection: close, and closes
 *
 * It listens on a port the kernel picks (backlog 4096) and prints "port N\n" on stdout once it
 * does. One thread, blocking accept(): it runs only when a connection is waiting, so its own cost
 * is one wake-up per check (it is the runner's process, not the supervisor's). On SIGTERM or
 * SIGINT it prints "served N\n" (the connections it accepted) and exits 0; it dies with its parent
 * (PR_SET_PDEATHSIG). A client that sends nothing is dropped after 1 s (SO_RCVTIMEO).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t stopping = 0;

static void on_stop(int sig) {
    (void)sig;
    stopping = 1;
}

/* Reads until the request head's blank line (or 8 KiB, EOF, an error, the timeout). */
static void read_head(int fd) {
    char buf[8192];
    size_t have = 0;
    while (have < sizeof buf - 1) {
        const ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
        if (n < 0 && errno == EINTR && !stopping) continue;
        if (n <= 0) return;
        have += (size_t)n;
        buf[have] = '\0';
        if (strstr(buf, "\r\n\r\n") != NULL) return;
    }
}

static void answer(int fd) {
    static const char reply[] =
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    const struct timeval wait = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    read_head(fd);
    size_t sent = 0;
    while (sent < sizeof reply - 1) {
        const ssize_t n = write(fd, reply + sent, sizeof reply - 1 - sent);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        sent += (size_t)n;
    }
}

int main(int argc, char **argv) {
    const int http = argc == 2 && strcmp(argv[1], "http") == 0;
    if (argc != 2 || (!http && strcmp(argv[1], "tcp") != 0)) {
        fprintf(stderr, "usage: %s tcp|http\n", argv[0]);
        return 2;
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    struct sigaction sa = {.sa_handler = on_stop}; /* no SA_RESTART: accept() returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 4096) < 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
        perror("listen on 127.0.0.1");
        return 1;
    }
    printf("port %d\n", ntohs(addr.sin_port));
    fflush(stdout);

    long long served = 0;
    while (!stopping) {
        const int client = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
        if (client < 0) continue; /* EINTR (then stopping), or a connection reset meanwhile */
        ++served;
        if (http) answer(client);
        close(client);
    }
    printf("served %lld\n", served);
    return 0;
}

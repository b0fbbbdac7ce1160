/* CLOCK_MONOTONIC in nanoseconds: the clock of Python's time.monotonic_ns(), which the runner
 * compares every stamp of the bench helpers with. */
#ifndef SUPERV_BENCH_MONOTONIC_H
#define SUPERV_BENCH_MONOTONIC_H

#include <time.h>

static inline long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

#endif

// Spawn cost per method: COUNT spawns of /bin/true, each waited for, with the
// parent optionally inflated to PARENT_MIB of touched memory (fork's cost
// grows with it, the vfork-style clones' does not).
// Usage: sys_spawn_bench [COUNT] [PARENT_MIB]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "superv/sys/spawn.hpp"

using superv::sys::SpawnMethod;

namespace {

// Returns the mean µs of spawn() alone and of spawn() + wait, or -1 on failure.
std::pair<double, double> measure(SpawnMethod method, int count) {
    using Clock = std::chrono::steady_clock;
    Clock::duration in_spawn{};
    const auto start = Clock::now();
    for (int i = 0; i < count; ++i) {
        const auto before = Clock::now();
        auto process = superv::sys::spawn({.argv = {"/bin/true"}, .method = method});
        in_spawn += Clock::now() - before;
        if (!process) {
            std::fprintf(stderr, "%s: %s\n", superv::sys::spawn_method_name(method),
                         process.error().message().c_str());
            return {-1, -1};
        }
        if (!process->wait().ok()) return {-1, -1};
    }
    const auto total = Clock::now() - start;
    const auto us = [count](Clock::duration d) {
        return std::chrono::duration<double, std::micro>(d).count() / count;
    };
    return {us(in_spawn), us(total)};
}

}  // namespace

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::atoi(argv[1]) : 1000;
    const long parent_mib = argc > 2 ? std::atol(argv[2]) : 0;
    std::vector<char> ballast(static_cast<std::size_t>(parent_mib) << 20);
    std::memset(ballast.data(), 1, ballast.size());  // touched, so fork must copy its page tables

    std::printf("%d x /bin/true, parent +%ld MiB\n", count, parent_mib);
    std::printf("%-20s %14s %16s\n", "method", "spawn() us", "spawn+wait us");
    for (const SpawnMethod method : {SpawnMethod::ClonePidfd, SpawnMethod::CloneThenPidfdOpen,
                                     SpawnMethod::ForkThenPidfdOpen}) {
        const auto [spawn_us, total_us] = measure(method, count);
        std::printf("%-20s %14.1f %16.1f\n", superv::sys::spawn_method_name(method), spawn_us,
                    total_us);
    }
    return ballast.empty() ? 0 : ballast[ballast.size() / 2] - 1;
}

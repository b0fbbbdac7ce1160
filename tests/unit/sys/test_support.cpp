#include "test_support.hpp"

#include <endian.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "superv/sys/pidfd.hpp"

namespace superv::sys::testing {

namespace {

// poll() that survives EINTR; true when `fd` became readable in time.
bool wait_readable(int fd, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{fd, POLLIN, 0};
        const int n = poll(&p, 1, static_cast<int>(std::max<long>(left.count(), 0)));
        if (n > 0) return true;
        if (n == 0) return false;
        if (errno != EINTR) return false;
    }
}

}  // namespace

std::string method_test_name(const ::testing::TestParamInfo<SpawnMethod>& info) {
    switch (info.param) {
        case SpawnMethod::Auto:
            return "Auto";
        case SpawnMethod::ClonePidfd:
            return "ClonePidfd";
        case SpawnMethod::CloneThenPidfdOpen:
            return "CloneThenPidfdOpen";
        case SpawnMethod::ForkThenPidfdOpen:
            return "ForkThenPidfdOpen";
    }
    return "Unknown";
}

siginfo_t wait_for_exit(const ProcessHandle& process, std::chrono::milliseconds timeout) {
    if (!wait_readable(process.pidfd(), std::chrono::steady_clock::now() + timeout)) {
        ADD_FAILURE() << "pid " << process.pid() << " still running after " << timeout.count()
                      << " ms; killing it";
        (void)process.signal(SIGKILL);
    }
    auto info = process.wait();
    if (!info) {
        ADD_FAILURE() << info.error().message();
        return siginfo_t{};
    }
    return info.value();
}

int exit_code_of(const siginfo_t& info) {
    return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
}

std::string read_output(int fd, std::chrono::milliseconds timeout, const std::string& until) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string out;
    char buffer[4096];
    for (;;) {
        if (!until.empty() && out.find(until) != std::string::npos) return out;
        if (!wait_readable(fd, deadline)) {
            ADD_FAILURE() << "no EOF within " << timeout.count() << " ms; read so far: " << out;
            return out;
        }
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return out;
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

std::set<int> open_fds_of(pid_t pid) {
    std::set<int> fds;
    const auto dir = "/proc/" + std::to_string(pid) + "/fd";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        fds.insert(std::stoi(entry.path().filename().string()));
    }
    return fds;
}

std::string status_field(pid_t pid, const std::string& key) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.compare(0, key.size() + 1, key + ":") == 0) {
            const auto start = line.find_first_not_of(" \t", key.size() + 1);
            return start == std::string::npos ? "" : line.substr(start);
        }
    }
    return "(no " + key + " line)";
}

bool has_no_children() {
    siginfo_t info{};
    return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 && errno == ECHILD;
}

int run_isolated(const std::function<int()>& body, std::chrono::milliseconds timeout) {
    std::fflush(nullptr);  // or buffered runner output would be written twice
    const pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int code = 1;
        try {
            code = body();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "isolated body threw: %s\n", e.what());
        }
        std::fflush(nullptr);
        _exit(code);  // no atexit handlers, no gtest teardown in the copy
    }
    const ProcessHandle copy(pid, Fd(pidfd_open(pid, 0)));
    const siginfo_t info = wait_for_exit(copy, timeout);
    return info.si_code == CLD_EXITED ? info.si_status : -1;
}

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base != nullptr ? base : "/tmp") + "/superv-sys-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
    path_ = templ;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::write_file(const std::string& name, const std::string& content,
                                mode_t mode) const {
    const std::string file = path_ + "/" + name;
    std::ofstream(file) << content;
    chmod(file.c_str(), mode);
    return file;
}

Result<LiveChild> spawn_live_cat(SpawnMethod method, SpawnRequest request) {
    auto in = make_pipe();
    if (!in) return in.error();
    auto out = make_pipe();
    if (!out) return out.error();
    request.argv = {"/bin/cat"};
    request.stdin_fd = in->first.get();
    request.stdout_fd = out->second.get();
    request.method = method;
    auto process = spawn(request);
    if (!process) return process.error();
    LiveChild child{std::move(process.value()), std::move(in->second), std::move(out->first)};
    // Our copies go, so cat sees EOF when stdin_write closes and we see EOF
    // when cat exits.
    in->first.reset();
    out->second.reset();
    if (write(child.stdin_write.get(), "ready\n", 6) != 6) return SysError::last("write");
    if (read_output(child.stdout_read.get(), 10s, "ready\n") != "ready\n") {
        return SysError{"handshake", EPROTO};
    }
    return child;
}

bool refuse_syscall(long syscall_nr, unsigned flag_mask, int err) {
    // The low 32 bits of the first argument, where every clone flag lives.
    constexpr unsigned kArg0Low =
        offsetof(seccomp_data, args[0]) + (__BYTE_ORDER == __BIG_ENDIAN ? 4 : 0);
    const auto nr = static_cast<unsigned>(syscall_nr);
    const unsigned refuse = SECCOMP_RET_ERRNO | (static_cast<unsigned>(err) & SECCOMP_RET_DATA);
    std::vector<sock_filter> filter = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr))};
    if (flag_mask == 0) {
        filter.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1));
    } else {
        filter.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 3));
        filter.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kArg0Low));
        filter.push_back(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, flag_mask, 0, 1));
    }
    filter.push_back(BPF_STMT(BPF_RET | BPF_K, refuse));
    filter.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    const sock_fprog program{static_cast<unsigned short>(filter.size()), filter.data()};
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
           prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

}  // namespace superv::sys::testing

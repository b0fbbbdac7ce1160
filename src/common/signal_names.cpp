#include "superv/common/signal_names.hpp"

#include <csignal>
#include <string>

namespace superv {
namespace {

struct SignalName {
    std::string_view name;
    int number;
};

// The canonical name comes first for each number, so signal_name() prints
// "ABRT" rather than the historical alias "IOT".
constexpr SignalName kSignals[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},   {"IOT", SIGIOT},   {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL},   {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},   {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CLD", SIGCHLD},  {"CONT", SIGCONT},
    {"STOP", SIGSTOP},     {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},
    {"URG", SIGURG},       {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM},
    {"PROF", SIGPROF},     {"WINCH", SIGWINCH}, {"IO", SIGIO},     {"POLL", SIGPOLL},
    {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

// Linux numbers signals 1..64; NSIG is one past the highest (SIGRTMAX is a
// function call in glibc, NSIG is a constant).
constexpr int kMaxSignal = NSIG - 1;

char upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (upper(a[i]) != upper(b[i])) return false;
    }
    return true;
}

std::optional<int> parse_number(std::string_view text) {
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
        if (value > kMaxSignal) return std::nullopt;
    }
    if (value < 1) return std::nullopt;
    return value;
}

}  // namespace

std::optional<int> parse_signal(std::string_view text) {
    if (text.empty()) return std::nullopt;
    if (text.front() >= '0' && text.front() <= '9') return parse_number(text);
    if (text.size() > 3 && equal_ignoring_case(text.substr(0, 3), "SIG")) text.remove_prefix(3);
    for (const SignalName& s : kSignals) {
        if (equal_ignoring_case(text, s.name)) return s.number;
    }
    return std::nullopt;
}

std::string signal_name(int sig) {
    for (const SignalName& s : kSignals) {
        if (s.number == sig) return std::string(s.name);
    }
    return std::to_string(sig);
}

}  // namespace superv

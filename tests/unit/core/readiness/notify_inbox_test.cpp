// NotifyInbox on a real socket in a temp dir: datagrams from this process,
// and from Debian's systemd-notify run by a shell script, as a program
// with ready = "notify" would run it (no superv involved).
#include "superv/core/readiness/notify_inbox.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "superv/sys/fd.hpp"
#include "superv/sys/spawn.hpp"

namespace superv::core::readiness {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class NotifyInboxTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/superv-notify-test-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        dir_ = pattern;
        auto socket = sys::NotifySocket::open(dir_ + "/run", sys::NotifyAccess::Owner);
        ASSERT_TRUE(socket.ok()) << socket.error().message();
        inbox_.emplace(std::move(socket.value()));
    }
    void TearDown() override {
        inbox_.reset();
        std::filesystem::remove_all(dir_);
    }

    // One datagram to the inbox from this process.
    void send(std::string_view text) const {
        const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ASSERT_GE(fd, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, inbox_->path().c_str(), sizeof address.sun_path - 1);
        const ssize_t sent = ::sendto(fd, text.data(), text.size(), 0,
                                      reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::close(fd);
        ASSERT_EQ(sent, static_cast<ssize_t>(text.size())) << std::strerror(errno);
    }

    std::size_t drain(pid_t supervised, std::size_t budget = NotifyInbox::kDrainBudget) {
        auto read = inbox_->drain([supervised](pid_t pid) { return pid == supervised; },
                                  [this](const NotifyEvent& e) { events_.push_back(e); }, budget);
        EXPECT_TRUE(read.ok()) << read.error().message();
        return read.ok() ? read.value() : 0;
    }

    std::optional<int> run_script(
        const std::string& script, bool drain_while_running,
        const std::function<void()>& after_drain = [] {}, int stdin_fd = -1);

    std::string dir_;
    std::optional<NotifyInbox> inbox_;
    std::vector<NotifyEvent> events_;
    pid_t script_pid_ = 0;
};

TEST_F(NotifyInboxTest, TheSocketIsPrivateToSupervsUser) {
    struct stat st {};
    ASSERT_EQ(::stat((dir_ + "/run").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0700u);
    ASSERT_EQ(::stat(inbox_->path().c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0600u);
    EXPECT_EQ(inbox_->path(), dir_ + "/run/notify");
}

TEST_F(NotifyInboxTest, DeliversAMessageFromTheSupervisedProcess) {
    send("READY=1\nSTATUS=warming up\n");
    EXPECT_EQ(drain(::getpid()), 1u);
    ASSERT_EQ(events_.size(), 1u);
    EXPECT_EQ(events_[0].process, ::getpid());
    EXPECT_EQ(events_[0].sender, ::getpid());
    EXPECT_TRUE(events_[0].message.ready);
    EXPECT_EQ(events_[0].message.status, "warming up");
}

TEST_F(NotifyInboxTest, DropsGarbageStrangersAndOversizedDatagramsAndCountsThem) {
    send("READY=1\n");                              // from no supervised process
    send("garbage");                                // from it, but garbage
    send(std::string(kMaxNotifyMessage + 1, 'A'));  // too long to read whole
    EXPECT_EQ(drain(::getpid() + 1), 2u);           // the oversized one never surfaces
    send("READY=1\n");
    send("not=KEY\n");
    EXPECT_EQ(drain(::getpid()), 2u);
    ASSERT_EQ(events_.size(), 1u);
    EXPECT_EQ(inbox_->drops().unattributed, 1u);
    EXPECT_EQ(inbox_->drops().garbage, 2u);
    EXPECT_EQ(inbox_->drops().refused, 1u);
}

TEST_F(NotifyInboxTest, ADrainStopsAtItsBudgetAndTheRestWaits) {
    for (int i = 0; i < 6; ++i)
        send("STATUS=" + std::to_string(i));
    EXPECT_EQ(drain(::getpid(), 4), 4u);
    EXPECT_EQ(drain(::getpid(), 4), 2u);
    EXPECT_EQ(drain(::getpid(), 4), 0u);
    ASSERT_EQ(events_.size(), 6u);
    EXPECT_EQ(events_[5].message.status, "5");
}

// Runs `sh -c script` with the notify environment (stdin from `stdin_fd`
// unless -1) and, if `drain_while_running`, drains the inbox for it until it
// exits, calling `after_drain` after each drain; then drains once more. The
// exit code, or nullopt if it did not finish in time (it is killed then).
std::optional<int> NotifyInboxTest::run_script(const std::string& script, bool drain_while_running,
                                               const std::function<void()>& after_drain,
                                               int stdin_fd) {
    std::vector<std::string> env = notify_environment(inbox_->path(), ::getpid());
    env.push_back("PATH=/usr/bin:/bin");
    auto child = sys::spawn(
        sys::SpawnRequest{.argv = {"/bin/sh", "-c", script}, .env = env, .stdin_fd = stdin_fd});
    EXPECT_TRUE(child.ok()) << child.error().message();
    if (!child) return std::nullopt;
    script_pid_ = child->pid();
    std::optional<int> code;
    const auto deadline = Clock::now() + 10s;
    while (!code && Clock::now() < deadline) {
        pollfd fds[2] = {{inbox_->fd(), POLLIN, 0}, {child->pidfd(), POLLIN, 0}};
        EXPECT_GE(::poll(fds + (drain_while_running ? 0 : 1), drain_while_running ? 2 : 1, 100), 0);
        if (drain_while_running) {
            drain(script_pid_);
            after_drain();
        }
        if (fds[1].revents & POLLIN) {
            auto info = child->wait();
            EXPECT_TRUE(info.ok());
            code = info.ok() && info->si_code == CLD_EXITED ? info->si_status : -1;
        }
    }
    if (!code) {
        ADD_FAILURE() << "the script did not finish: " << script;
        (void)child->signal(SIGKILL);
        (void)child->wait();
        return std::nullopt;
    }
    drain(script_pid_);
    return code;
}

// systemd-notify waits for its BARRIER=1 to be taken, so it finishes only if
// the inbox closes the fd that came with it. As root it sends with its
// parent's pid: the script's when run by it, superv's (here: this test's)
// when exec'd, unless MANAGERPID says that is the manager.
TEST_F(NotifyInboxTest, SystemdNotifyFromAShellScriptMakesTheScriptReady) {
    ASSERT_EQ(::access("/usr/bin/systemd-notify", X_OK), 0) << "Debian's systemd package";
    for (const std::string script : {"/usr/bin/systemd-notify --ready --status=up; exit $?",
                                     "exec /usr/bin/systemd-notify --ready --status=up"}) {
        SCOPED_TRACE(script);
        events_.clear();
        EXPECT_EQ(run_script(script, true), 0)
            << "systemd-notify failed (its barrier was not released?)";
        ASSERT_EQ(events_.size(), 1u);
        EXPECT_EQ(events_[0].process, script_pid_);
        EXPECT_TRUE(events_[0].message.ready);
        EXPECT_EQ(events_[0].message.status, "up");
        EXPECT_EQ(inbox_->drops().unattributed, 0u);
    }
}

// A sender that sends with its own credentials (any non-root one, or a
// library): found by walking up /proc from it to the script.
constexpr const char* kPythonSender =
    "/usr/bin/python3 -c 'import os, socket, sys; "
    "socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b\"READY=1\", "
    "os.environ[\"NOTIFY_SOCKET\"]); sys.stdin.read()'; exit 0";

TEST_F(NotifyInboxTest, AGrandchildThatIsStillThereSpeaksForTheScript) {
    auto stdin_pipe = sys::make_pipe();
    ASSERT_TRUE(stdin_pipe.ok());
    // The sender stays until its stdin closes, which happens once its message is in.
    EXPECT_EQ(run_script(
                  kPythonSender, true,
                  [&] {
                      if (!events_.empty()) stdin_pipe->second.reset();
                  },
                  stdin_pipe->first.get()),
              0);
    ASSERT_EQ(events_.size(), 1u);
    EXPECT_EQ(events_[0].process, script_pid_);
    EXPECT_NE(events_[0].sender, script_pid_);
    EXPECT_TRUE(events_[0].message.ready);
}

TEST_F(NotifyInboxTest, ASenderReapedBeforeItsMessageIsReadCannotBePlaced) {
    auto stdin_pipe = sys::make_pipe();
    ASSERT_TRUE(stdin_pipe.ok());
    stdin_pipe->second.reset();  // the sender exits right after sending
    // Read only after the script exited: by then it has reaped the sender.
    EXPECT_EQ(run_script(
                  kPythonSender, false, [] {}, stdin_pipe->first.get()),
              0);
    EXPECT_TRUE(events_.empty());
    EXPECT_EQ(inbox_->drops().unattributed, 1u);
}

}  // namespace
}  // namespace superv::core::readiness

// ready = { fd = N }: the line detector, and a real program writing to the
// pipe spawn() put on its fd N, read on a backend of each kind.
#include "superv/core/readiness/ready_pipe.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "backend_params.hpp"
#include "superv/sys/spawn.hpp"

namespace superv::core::readiness {
namespace {

using namespace std::chrono_literals;

std::span<const std::byte> bytes(std::string_view text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

TEST(ReadyLineDetector, IsReadyAtTheFirstNewlineWhateverCameBefore) {
    ReadyLineDetector d;
    EXPECT_FALSE(d.feed(bytes("")));
    EXPECT_FALSE(d.feed(bytes("starting up")));
    EXPECT_TRUE(d.feed(bytes(" ok\nmore")));
    EXPECT_TRUE(d.feed(bytes("anything")));
    EXPECT_TRUE(d.ready());
}

TEST(ReadyPipe, OnlySupervsEndIsNonBlocking) {
    auto ends = ReadyPipe::create();
    ASSERT_TRUE(ends.ok()) << ends.error().message();
    EXPECT_TRUE(::fcntl(ends->reader->fd(), F_GETFL) & O_NONBLOCK);
    EXPECT_FALSE(::fcntl(ends->child_end.get(), F_GETFL) & O_NONBLOCK);
    EXPECT_TRUE(::fcntl(ends->reader->fd(), F_GETFD) & FD_CLOEXEC);
    EXPECT_TRUE(::fcntl(ends->child_end.get(), F_GETFD) & FD_CLOEXEC);
}

TEST(ReadyPipe, AFailedReadIsReportedWithItsErrno) {
    auto ends = ReadyPipe::create();
    ASSERT_TRUE(ends.ok());
    EXPECT_EQ(ends->reader->on_read(-EIO), ReadyPipe::Outcome::Failed);
    EXPECT_STREQ(ends->reader->error().call, "read");
    EXPECT_EQ(ends->reader->error().err, EIO);
}

class ReadyPipeTest : public test::OnEveryBackend {
  protected:
    // Spawns `sh -c script` with the pipe on fd 3 and reads it as the
    // supervisor would until the outcome is known; every outcome seen.
    std::vector<ReadyPipe::Outcome> outcomes_of(const std::string& script) {
        auto ends = ReadyPipe::create();
        EXPECT_TRUE(ends.ok());
        auto child = sys::spawn(sys::SpawnRequest{.argv = {"/bin/sh", "-c", script},
                                                  .extra_fd = {ends->child_end.get(), 3}});
        EXPECT_TRUE(child.ok()) << child.error().message();
        ends->child_end.reset();
        ReadyPipe& pipe = *ends->reader;
        const loop::Tag tag{loop::TagKind::OutputRead, 1, 1};
        const loop::Tag guard{loop::TagKind::DaemonTimer, 2, 1};
        backend_->timer(guard, loop::Clock::now() + 10s);
        std::vector<ReadyPipe::Outcome> seen;
        loop::Tag left = guard;  // the one request still pending at the end
        for (;;) {
            backend_->read(tag, pipe.fd(), pipe.buffer());
            std::optional<int> result;
            bool timed_out = false;
            while (!result && !timed_out) {
                std::vector<loop::Completion> done;
                EXPECT_TRUE(backend_->wait(done).ok());
                for (const loop::Completion& c : done) {
                    if (c.tag == tag) result = c.result;
                    if (c.tag == guard) timed_out = true;
                }
            }
            if (!result) {
                ADD_FAILURE() << "no outcome in time";
                left = tag;
                break;
            }
            seen.push_back(pipe.on_read(*result));
            if (seen.back() != ReadyPipe::Outcome::Pending) break;
        }
        backend_->cancel(left);
        std::vector<loop::Completion> rest;
        EXPECT_TRUE(backend_->wait(rest).ok());
        if (child) {
            EXPECT_TRUE(child->wait().ok());
        }
        return seen;
    }
};

TEST_P(ReadyPipeTest, ANewlineOnTheFdMakesTheProgramReady) {
    const auto seen = outcomes_of("printf 'loading' >&3; echo ' done' >&3");
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back(), ReadyPipe::Outcome::Ready);
}

TEST_P(ReadyPipeTest, ClosingTheFdWithoutANewlineIsAFailedStart) {
    EXPECT_EQ(outcomes_of("printf 'half a line' >&3; exec 3>&-; exit 0").back(),
              ReadyPipe::Outcome::Closed);
    EXPECT_EQ(outcomes_of("exit 0").back(), ReadyPipe::Outcome::Closed);
}

INSTANTIATE_TEST_SUITE_P(EveryBackend, ReadyPipeTest, test::kEveryBackend, test::backend_test_name);

}  // namespace
}  // namespace superv::core::readiness

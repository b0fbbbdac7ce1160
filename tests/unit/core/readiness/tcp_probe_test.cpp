// ConnectBackoff (pure) and TcpProbe on real loopback sockets and a real
// backend of each kind.
#include "superv/core/readiness/tcp_probe.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <vector>

#include "backend_params.hpp"
#include "superv/sys/tcp_connect.hpp"

namespace superv::core::readiness {
namespace {

using namespace std::chrono_literals;
using loop::Clock;

TEST(ConnectBackoff, DoublesFromTenMillisecondsToHalfASecond) {
    const Clock::time_point t0{};
    ConnectBackoff backoff(t0, 0ms);
    std::vector<milliseconds> pauses;
    for (int i = 0; i < 9; ++i) {
        const auto at = backoff.next_attempt(t0);
        ASSERT_TRUE(at);
        pauses.push_back(std::chrono::duration_cast<milliseconds>(*at - t0));
    }
    EXPECT_EQ(pauses, (std::vector<milliseconds>{10ms, 20ms, 40ms, 80ms, 160ms, 320ms, 500ms, 500ms,
                                                 500ms}));
}

TEST(ConnectBackoff, SchedulesNothingAtOrPastTheReadyTimeout) {
    const Clock::time_point t0{};
    ConnectBackoff backoff(t0, 100ms);
    EXPECT_EQ(backoff.next_attempt(t0 + 50ms), t0 + 60ms);
    EXPECT_EQ(backoff.next_attempt(t0 + 60ms), t0 + 80ms);
    EXPECT_EQ(backoff.next_attempt(t0 + 60ms), std::nullopt);  // 60 + 40 = the deadline
}

TEST(ConnectBackoff, AZeroTimeoutNeverGivesUp) {
    const Clock::time_point t0{};
    ConnectBackoff backoff(t0, 0ms);
    EXPECT_TRUE(backoff.next_attempt(t0 + 24h * 365));
}

// A loopback listener on an ephemeral port; the port stays reserved (and
// refuses connections) after stop_listening().
class Listener {
  public:
    explicit Listener(int family) : family_(family) {
        fd_ = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_storage address{};
        socklen_t length;
        if (family == AF_INET) {
            auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
            v4->sin_family = AF_INET;
            v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            length = sizeof *v4;
        } else {
            auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
            v6->sin6_family = AF_INET6;
            v6->sin6_addr = in6addr_loopback;
            length = sizeof *v6;
        }
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), length), 0);
        EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length), 0);
        port_ = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&address)->sin_port
                                        : reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
    }
    ~Listener() { ::close(fd_); }
    void listen() { EXPECT_EQ(::listen(fd_, 4), 0); }
    int port() const { return port_; }

  private:
    int family_;
    int fd_ = -1;
    int port_ = 0;
};

TEST(TcpConnect, RefusesAHostThatIsNoAddress) {
    auto refused = sys::tcp_address("localhost", 80);  // names are the config's business
    ASSERT_FALSE(refused.ok());
    EXPECT_STREQ(refused.error().call, "inet_pton");
}

TEST(TcpConnect, RefusesAPortOutOfRange) {
    for (const int port : {0, 65536}) {
        auto refused = sys::tcp_address("127.0.0.1", port);
        ASSERT_FALSE(refused.ok());
        EXPECT_EQ(refused.error().err, EINVAL);
    }
}

TEST(TcpConnect, TakesIPv4AndIPv6Literals) {
    auto v4 = sys::tcp_address("127.0.0.1", 8080);
    ASSERT_TRUE(v4.ok());
    EXPECT_EQ(v4->storage.ss_family, AF_INET);
    EXPECT_EQ(v4->length, sizeof(sockaddr_in));
    EXPECT_EQ(ntohs(reinterpret_cast<const sockaddr_in*>(v4->get())->sin_port), 8080);
    auto v6 = sys::tcp_address("::1", 8080);
    ASSERT_TRUE(v6.ok());
    EXPECT_EQ(v6->storage.ss_family, AF_INET6);
    EXPECT_EQ(v6->length, sizeof(sockaddr_in6));
}

class TcpProbeTest : public test::OnEveryBackend {
  protected:
    // Drives `probe` on the backend the way the supervisor would, until it is
    // ready or gives up (or `limit` passes: a failure, never a hang).
    // `on_retry` runs each time the probe waits to retry.
    TcpProbe::Step run(
        TcpProbe& probe, Clock::duration limit = 5s,
        const std::function<void()>& on_retry = [] {}) {
        const loop::Tag tag{loop::TagKind::ProcessTimer, 1, 1};
        const loop::Tag guard{loop::TagKind::DaemonTimer, 2, 1};
        backend_->timer(guard, Clock::now() + limit);
        TcpProbe::Step step = probe.attempt(Clock::now());
        for (;;) {
            if (step == TcpProbe::Step::WaitConnect) {
                backend_->connect(tag, probe.fd(), probe.address().get(), probe.address().length,
                                  std::nullopt);
            }
            if (step == TcpProbe::Step::WaitRetry) {
                on_retry();
                backend_->timer(tag, probe.retry_at());
            }
            if (step == TcpProbe::Step::Ready || step == TcpProbe::Step::GaveUp) break;
            std::vector<loop::Completion> done;
            EXPECT_TRUE(backend_->wait(done).ok());
            for (const loop::Completion& c : done) {
                if (c.tag == guard) {
                    ADD_FAILURE() << "the probe neither succeeded nor gave up in time";
                    backend_->cancel(tag);
                    return TcpProbe::Step::GaveUp;
                }
                step = step == TcpProbe::Step::WaitConnect
                           ? probe.on_connect(c.result, Clock::now())
                           : probe.attempt(Clock::now());
            }
        }
        backend_->cancel(guard);
        std::vector<loop::Completion> rest;
        EXPECT_TRUE(backend_->wait(rest).ok());
        return step;
    }
};

TEST_P(TcpProbeTest, IsReadyAtOnceWhenSomethingListens) {
    for (const int family : {AF_INET, AF_INET6}) {
        Listener listener(family);
        listener.listen();
        TcpProbe probe(family == AF_INET ? "127.0.0.1" : "::1", listener.port(),
                       ConnectBackoff(Clock::now(), 5000ms));
        EXPECT_EQ(run(probe), TcpProbe::Step::Ready);
        EXPECT_EQ(probe.attempts(), 1u);
    }
}

TEST_P(TcpProbeTest, RetriesUntilTheProgramListens) {
    Listener listener(AF_INET);  // bound, not yet listening: connects are refused
    TcpProbe probe("127.0.0.1", listener.port(), ConnectBackoff(Clock::now(), 5000ms));
    int refusals = 0;
    EXPECT_EQ(run(probe, 5s,
                  [&] {
                      EXPECT_EQ(probe.last_error().err, ECONNREFUSED);
                      EXPECT_STREQ(probe.last_error().call, "connect");
                      if (++refusals == 2) listener.listen();
                  }),
              TcpProbe::Step::Ready);
    EXPECT_EQ(refusals, 2);
    EXPECT_EQ(probe.attempts(), 3u);
}

TEST_P(TcpProbeTest, GivesUpWhenNoAttemptFitsBeforeTheReadyTimeout) {
    Listener listener(AF_INET);
    const auto start = Clock::now();
    TcpProbe probe("127.0.0.1", listener.port(), ConnectBackoff(start, 100ms));
    EXPECT_EQ(run(probe), TcpProbe::Step::GaveUp);
    // 10 + 20 + 40 ms of pauses fit in 100 ms, the next 80 do not: four
    // attempts, or fewer if a loaded machine fires the timers late.
    EXPECT_GE(probe.attempts(), 2u);
    EXPECT_LE(probe.attempts(), 4u);
    EXPECT_LT(Clock::now() - start, 2s);
    EXPECT_EQ(probe.last_error().err, ECONNREFUSED);
}

INSTANTIATE_TEST_SUITE_P(EveryBackend, TcpProbeTest, test::kEveryBackend, test::backend_test_name);

}  // namespace
}  // namespace superv::core::readiness

// Every behaviour test runs on each backend: io_uring with IORING_OP_WAITID
// exits, io_uring with the POLL_ADD exit path, and epoll. They must not differ.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "loop_test_support.hpp"
#include "superv/loop/backend.hpp"

namespace superv::loop::test {

using namespace std::chrono_literals;

class BackendTest : public ::testing::TestWithParam<BackendKind> {
  protected:
    void SetUp() override;

    Backend& backend() { return *backend_; }
    void destroy_backend() { backend_.reset(); }

    // Waits until `count` completions arrived; a test failure if that takes
    // longer than `limit` (a guard timer, never a hang). Completions that
    // arrive together with the last one are returned too.
    std::vector<Completion> collect(std::size_t count, Clock::duration limit = 10s);

    // The completions of exactly one wait() call.
    std::vector<Completion> wait_once();

    // Arms a timer `after` from now and checks that it is the only thing that
    // completes before it: nothing else is pending with a result to give.
    void expect_only_sentinel(Clock::duration after = 50ms);

  private:
    std::unique_ptr<Backend> backend_;
};

}  // namespace superv::loop::test

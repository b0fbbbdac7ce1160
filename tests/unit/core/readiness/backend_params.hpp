// The readiness drivers run on the real loop: each test runs on io_uring and
// on epoll.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "superv/loop/backend.hpp"

namespace superv::core::readiness::test {

inline const auto kEveryBackend =
    ::testing::Values(loop::BackendKind::Uring, loop::BackendKind::Epoll);

// A fixture whose backend_ is of the parameter's kind (skipped where the
// kernel refuses it).
class OnEveryBackend : public ::testing::TestWithParam<loop::BackendKind> {
  protected:
    void SetUp() override {
        auto made = loop::make_backend(GetParam(), nullptr);
        if (!made) GTEST_SKIP() << made.error().message();
        backend_ = std::move(made.value());
    }

    std::unique_ptr<loop::Backend> backend_;
};

inline std::string backend_test_name(const ::testing::TestParamInfo<loop::BackendKind>& info) {
    return info.param == loop::BackendKind::Uring ? "io_uring" : "epoll";
}

}  // namespace superv::core::readiness::test

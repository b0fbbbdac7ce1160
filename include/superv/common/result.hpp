// Result<T>: a value or the system call that failed and its errno.
// The sys/ wrappers return it so callers decide what to log (style.md, rule 6).
// (std::expected arrives only with C++23 and Debian 12 ships no tl::expected.)
#pragma once

#include <cerrno>
#include <string>
#include <utility>
#include <variant>

namespace superv {

struct SysError {
    const char* call = "";  // the failing system call, e.g. "pidfd_send_signal"
    int err = 0;            // errno

    // "execve: No such file or directory"
    std::string message() const;
    static SysError last(const char* call) { return SysError{call, errno}; }
};

template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
    Result(SysError error) : v_(error) {}      // NOLINT

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const T& value() const& { return std::get<0>(v_); }
    T* operator->() { return &value(); }
    T& operator*() & { return value(); }
    const SysError& error() const { return std::get<1>(v_); }

  private:
    std::variant<T, SysError> v_;
};

struct Ok {};

template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Ok) {}                                             // NOLINT
    Result(SysError error) : error_(error), failed_(true) {}  // NOLINT

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const SysError& error() const { return error_; }

  private:
    SysError error_{};
    bool failed_ = false;
};

}  // namespace superv

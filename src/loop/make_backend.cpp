#include <cerrno>

#include "epoll_backend.hpp"
#include "superv/loop/backend.hpp"
#include "uring_backend.hpp"

namespace superv::loop {

Result<std::unique_ptr<Backend>> make_backend(BackendKind kind, std::string* why_fallback) {
    switch (kind) {
        case BackendKind::Uring:
            return UringBackend::create(false);
        case BackendKind::UringPoll:
            return UringBackend::create(true);
        case BackendKind::Epoll:
            return EpollBackend::create();
        case BackendKind::Auto:
            break;
    }
    // io_uring_setup fails with ENOSYS under a seccomp filter that hides it
    // and EPERM in Docker's default profile or with kernel.io_uring_disabled;
    // whatever the reason, epoll does the same job.
    auto uring = UringBackend::create(false);
    if (uring) return uring;
    if (why_fallback != nullptr) *why_fallback = uring.error().message();
    return EpollBackend::create();
}

}  // namespace superv::loop

// The client side of the control protocol: connect, send one request, read
// reply lines. Blocking; used by the CLI only.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "superv/control/protocol.hpp"
#include "superv/sys/fd.hpp"

namespace superv::control {

class Client {
  public:
    // Connects to `path`. On failure *error says why in one line, naming the
    // socket ("no superv is listening on /run/superv.sock (connect: ...)").
    static std::optional<Client> connect(const std::string& path, std::string* error);

    // Sends `request` as one line.
    bool send(const Request& request, std::string* error);
    // Reads the next reply line; nullopt at EOF (or on error, then *error is set).
    std::optional<Json> next(std::string* error);
    // Waits until the daemon closes the connection (used by `shutdown`).
    void wait_for_close();

  private:
    explicit Client(sys::Fd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}

    sys::Fd fd_;
    std::string path_;
    std::string buffer_;
};

}  // namespace superv::control

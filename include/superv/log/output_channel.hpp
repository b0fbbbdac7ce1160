// One captured output stream of one process (its stdout, or its stderr):
// a pipe whose write end every incarnation of the process gets as fd 1 or 2,
// and whose read end the loop drains into a RotatingFile when it turns
// readable. The pipe lives as long as the process's place in the table, so a
// restart, or a grandchild still holding the pipe, loses nothing.
//
// Memory is bounded: data waits in the kernel's pipe buffer (where a
// flooding program blocks on its own writes) and is copied through one
// scratch buffer shared by every channel.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "superv/common/result.hpp"
#include "superv/config/config.hpp"
#include "superv/log/rotating_file.hpp"
#include "superv/sys/fd.hpp"

namespace superv::log {

class OutputChannel {
  public:
    // `owner` names the process and stream in log lines ("web stdout").
    static Result<std::unique_ptr<OutputChannel>> create(std::string owner,
                                                         const config::LogSpec& spec);

    int read_fd() const { return read_.get(); }
    int write_fd() const { return write_.get(); }

    // Reads once (up to scratch.size() bytes) and writes it to the file and
    // to every follower. Returns false when the pipe is at EOF or broken.
    bool drain(std::span<char> scratch);
    // Reads until the pipe is empty (before the channel goes away).
    void drain_all(std::span<char> scratch);

    // SIGUSR2: reopen the file (logrotate moved it); also retries a file that
    // could not be opened before.
    void reopen();
    // clearProcessLogs: the file is removed and opened again, empty. Unlike
    // supervisord (whose log handlers exist only while the process runs),
    // this works for a stopped process too.
    Result<void> clear();

    // `tail -f`: called with every chunk read; a follower returning false is
    // dropped. When the channel goes (its process left the table: update,
    // reload, removeProcessGroup), each follower is called once more with an
    // empty chunk: the stream ends there.
    using Follower = std::function<bool(std::string_view)>;
    void follow(Follower follower) { followers_.push_back(std::move(follower)); }

    // The last `bytes` of the current file.
    Result<std::string> tail(std::uint64_t bytes) const;
    const std::string& path() const { return file_.path(); }

    std::uint32_t poll_gen = 0;  // tag generation of the pending poll (0: none)

    ~OutputChannel();
    OutputChannel(const OutputChannel&) = delete;
    OutputChannel& operator=(const OutputChannel&) = delete;

  private:
    OutputChannel(std::string owner, const config::LogSpec& spec, sys::Fd read, sys::Fd write);
    void write_out(std::string_view data);

    std::string owner_;
    RotatingFile file_;
    sys::Fd read_;
    sys::Fd write_;
    std::vector<Follower> followers_;
    bool failing_ = false;  // the file is failing: logged once until it works again
};

}  // namespace superv::log

// What one process writes to its stdout and stderr, captured: a channel per
// stream whose target is a file (output_channel.hpp), made once for the
// process's whole stay in the table. The supervisor polls their read ends on
// the loop and hands each readiness here.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "superv/config/config.hpp"
#include "superv/log/output_channel.hpp"

namespace superv::log {

// The one buffer every channel's reads go through (bounded memory), made at
// the first output: a `-- CMD` init whose program writes to the terminal
// never pays for it.
class OutputScratch {
  public:
    std::span<char> get();

  private:
    std::unique_ptr<char[]> buffer_;
};

class ProcessOutput {
  public:
    static constexpr std::size_t kStdout = 0, kStderr = 1;

    ProcessOutput() = default;
    // The channels of `program`'s captured streams (stderr has none when
    // redirected to stdout). A stream that cannot be captured is logged
    // and discarded: the process still runs.
    static ProcessOutput capture(const std::string& display_name,
                                 const config::ProgramConfig& program);

    // Null: that stream is not captured.
    OutputChannel* stream(std::size_t index) const { return channels_[index].get(); }
    // The write end the child gets as fd 1 or 2; -1: not captured.
    int write_fd(std::size_t index) const;

    // Reads once from the stream at readiness (one read per readiness: a
    // flooding program gets its turn like every other completion). False
    // once nothing more can come (EOF, broken pipe).
    bool on_readable(std::size_t index, OutputScratch& scratch);
    // What the process wrote last still reaches its file; then the pipes close.
    void close(OutputScratch& scratch);
    // SIGUSR2: every file reopened.
    void reopen();

  private:
    std::array<std::unique_ptr<OutputChannel>, 2> channels_;
};

}  // namespace superv::log

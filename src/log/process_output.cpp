#include "superv/log/process_output.hpp"

#include <spdlog/spdlog.h>

namespace superv::log {

std::span<char> OutputScratch::get() {
    constexpr std::size_t kScratchSize = 64 * 1024;
    if (!buffer_) buffer_ = std::make_unique_for_overwrite<char[]>(kScratchSize);
    return {buffer_.get(), kScratchSize};
}

ProcessOutput ProcessOutput::capture(const std::string& display_name,
                                     const config::ProgramConfig& program) {
    ProcessOutput out;
    const config::LogSpec* specs[2] = {&program.stdout_log,
                                       program.redirect_stderr ? nullptr : &program.stderr_log};
    for (std::size_t i = 0; i < 2; ++i) {
        if (specs[i] == nullptr || specs[i]->target.kind != config::LogTarget::Kind::File) continue;
        auto channel =
            OutputChannel::create(display_name + (i == kStdout ? " stdout" : " stderr"), *specs[i]);
        if (!channel) {
            spdlog::error("{}: cannot capture its output: {}", display_name,
                          channel.error().message());
            continue;
        }
        out.channels_[i] = std::move(channel.value());
    }
    return out;
}

int ProcessOutput::write_fd(std::size_t index) const {
    return channels_[index] ? channels_[index]->write_fd() : -1;
}

bool ProcessOutput::on_readable(std::size_t index, OutputScratch& scratch) {
    return channels_[index] && channels_[index]->drain(scratch.get());
}

void ProcessOutput::close(OutputScratch& scratch) {
    for (auto& channel : channels_) {
        if (!channel) continue;
        channel->drain_all(scratch.get());
        channel.reset();
    }
}

void ProcessOutput::reopen() {
    for (auto& channel : channels_) {
        if (channel) channel->reopen();
    }
}

}  // namespace superv::log

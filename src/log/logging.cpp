#include "superv/log/logging.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <vector>

#include "superv/log/rotating_file.hpp"

namespace superv::log {

namespace {

constexpr const char* kPattern = "%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v";

// The log file as a spdlog sink. Not spdlog's rotating_file_sink: that one
// names backups FILE.1.log (supervisord and superv's program logs use
// FILE.1), refuses max_bytes 0 (supervisord's "never rotate") and cannot
// reopen a file logrotate moved.
class FileSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    explicit FileSink(const config::LogSpec& spec)
        : spec_(spec), file_(spec.target.path, spec.max_bytes, spec.backups) {}

    const config::LogSpec& spec() const { return spec_; }

    std::vector<Follower> followers;  // /mainlogtail streams
    std::string unsent;               // lines they have not had yet

    Result<void> reopen() {
        std::lock_guard lock(mutex_);
        return settle(file_.reopen());
    }
    Result<void> clear() {
        std::lock_guard lock(mutex_);
        return settle(file_.clear());
    }

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t line;
        formatter_->format(msg, line);
        // Kept for the followers, who get it outside this sink's lock (a
        // follower writing to a connection may log itself).
        if (!followers.empty()) unsent.append(line.data(), line.size());
        if (failing_) return;
        if (auto r = file_.write(std::string_view(line.data(), line.size())); !r) {
            // Not through spdlog: this sink's lock is held.
            std::fprintf(stderr, "superv: log file %s: %s; not written to until SIGUSR2\n",
                         file_.path().c_str(), r.error().message().c_str());
            failing_ = true;
        }
    }
    void flush_() override {}  // every line is written through at once

  private:
    Result<void> settle(Result<void> r) {
        failing_ = !file_.is_open();
        return r;
    }

    config::LogSpec spec_;
    RotatingFile file_;
    bool failing_ = true;  // until opened
};

std::shared_ptr<FileSink> current_file;  // the logger's file sink, if any

void detach_file() {
    if (!current_file) return;
    auto& sinks = spdlog::default_logger()->sinks();
    std::erase(sinks, std::static_pointer_cast<spdlog::sinks::sink>(current_file));
    current_file.reset();
}

}  // namespace

void setup(std::string_view level) {
    // Unbuffered-per-line stderr: an operator tailing the container's log, or
    // a test waiting for a line, sees each event as it happens.
    auto logger = spdlog::get("superv");
    if (!logger) logger = spdlog::stderr_logger_mt("superv");
    logger->set_pattern(kPattern);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
    set_level(level);
}

bool set_level(std::string_view level) {
    static constexpr std::pair<std::string_view, spdlog::level::level_enum> kLevels[] = {
        {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
        {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
        {"error", spdlog::level::err},
    };
    for (const auto& [name, value] : kLevels) {
        if (name == level) {
            spdlog::set_level(value);
            return true;
        }
    }
    return false;
}

Result<void> set_file(const config::LogSpec& spec) {
    if (spec.target.kind != config::LogTarget::Kind::File) {
        detach_file();
        return Ok{};
    }
    if (current_file && current_file->spec() == spec) return Ok{};
    detach_file();
    auto sink = std::make_shared<FileSink>(spec);
    sink->set_pattern(kPattern);
    auto opened = sink->reopen();
    spdlog::default_logger()->sinks().push_back(sink);
    current_file = std::move(sink);
    return opened;
}

void configure(const config::DaemonConfig& daemon) {
    set_level(daemon.log_level);
    if (auto r = set_file(daemon.logfile); !r) {
        spdlog::error("log file {}: {}; logging to stderr only (SIGUSR2 retries)",
                      daemon.logfile.target.path, r.error().message());
    }
}

Result<void> reopen() {
    if (!current_file) return Ok{};
    return current_file->reopen();
}

LogFault clear() {
    struct stat st {};
    if (!current_file || ::stat(file_path().c_str(), &st) != 0) return LogFault::NoFile;
    return current_file->clear() ? LogFault::None : LogFault::Failed;
}

void follow(Follower follower) {
    if (current_file) current_file->followers.push_back(std::move(follower));
}

void deliver_to_followers() {
    if (!current_file || current_file->unsent.empty()) return;
    const std::string lines = std::move(current_file->unsent);
    current_file->unsent.clear();
    std::erase_if(current_file->followers, [&](const Follower& f) { return !f(lines); });
}

std::string file_path() {
    return current_file ? current_file->spec().target.path : std::string();
}

}  // namespace superv::log

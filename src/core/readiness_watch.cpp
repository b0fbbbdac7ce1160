#include "superv/core/readiness_watch.hpp"

#include <cstddef>

namespace superv::core {

std::variant<std::unique_ptr<ReadinessWatch>, SpawnFailure> ReadinessWatch::prepare(
    const config::Readiness& ready, SpawnExtras& extras) {
    using Kind = config::Readiness::Kind;
    if (ready.kind != Kind::Fd && ready.kind != Kind::Tcp && ready.kind != Kind::Log) {
        return std::unique_ptr<ReadinessWatch>();
    }
    std::unique_ptr<ReadinessWatch> watch(new ReadinessWatch(ready));
    if (ready.kind == Kind::Fd) {
        auto ends = readiness::ReadyPipe::create();
        if (!ends) {
            return SpawnFailure{
                "ready fd " + std::to_string(ready.fd) + ": " + ends.error().message(),
                ends.error().err};
        }
        watch->pipe_ = std::move(ends->reader);
        watch->child_end_ = std::move(ends->child_end);
        extras.extra_fd = sys::ExtraFd{watch->child_end_.get(), ready.fd};
    }
    return watch;
}

void ReadinessWatch::spawned() {
    child_end_ = sys::Fd();
}

ReadinessWatch::Outcome ReadinessWatch::start(Effects& effects, loop::Tag tag,
                                              Millis ready_timeout) {
    switch (ready_.kind) {
        case config::Readiness::Kind::Fd:
            pending_ = tag;
            effects.read(tag, pipe_->fd(), pipe_->buffer());
            return Outcome::Pending;
        case config::Readiness::Kind::Tcp: {
            const auto now = effects.now();
            probe_.emplace(ready_.host, ready_.port, readiness::ConnectBackoff(now, ready_timeout));
            return probe_step(effects, probe_->attempt(now), tag);
        }
        case config::Readiness::Kind::Log:
            for (auto& matcher : matchers_)
                matcher.emplace(ready_.compiled);
            return Outcome::Pending;
        default:
            return Outcome::Pending;
    }
}

ReadinessWatch::Outcome ReadinessWatch::probe_step(Effects& effects, readiness::TcpProbe::Step step,
                                                   loop::Tag tag) {
    using Step = readiness::TcpProbe::Step;
    waiting_retry_ = false;
    switch (step) {
        case Step::WaitConnect:
            pending_ = tag;
            effects.connect(tag, probe_->fd(), probe_->address().get(), probe_->address().length,
                            std::nullopt);  // the ready timer bounds the whole start
            return Outcome::Pending;
        case Step::WaitRetry:
            pending_ = tag;
            waiting_retry_ = true;
            effects.timer(tag, probe_->retry_at());
            return Outcome::Pending;
        case Step::Ready:
            return Outcome::Ready;
        case Step::GaveUp:
            break;  // the ready timer ends it, with the last error as the reason
    }
    return Outcome::Pending;
}

ReadinessWatch::Outcome ReadinessWatch::on_completion(Effects& effects, int result,
                                                      loop::Tag next) {
    pending_.reset();
    if (pipe_) {
        switch (pipe_->on_read(result)) {
            case readiness::ReadyPipe::Outcome::Pending:
                return start(effects, next, Millis(0));
            case readiness::ReadyPipe::Outcome::Ready:
                return Outcome::Ready;
            case readiness::ReadyPipe::Outcome::Closed:
                failure_ =
                    "closed its ready fd " + std::to_string(ready_.fd) + " without writing a line";
                return Outcome::Failed;
            case readiness::ReadyPipe::Outcome::Failed:
                failure_ =
                    "ready fd " + std::to_string(ready_.fd) + ": " + pipe_->error().message();
                return Outcome::Failed;
        }
    }
    if (probe_) {
        const auto now = effects.now();
        if (waiting_retry_) return probe_step(effects, probe_->attempt(now), next);
        return probe_step(effects, probe_->on_connect(result, now), next);
    }
    return Outcome::Pending;
}

ReadinessWatch::Outcome ReadinessWatch::on_output(std::size_t index, std::string_view chunk) {
    std::optional<readiness::LogLineMatcher>& matcher = matchers_[index];
    if (!matcher) return Outcome::Pending;
    const auto* bytes = reinterpret_cast<const std::byte*>(chunk.data());
    const bool matched = chunk.empty() ? matcher->finish() : matcher->feed({bytes, chunk.size()});
    return matched ? Outcome::Ready : Outcome::Pending;
}

void ReadinessWatch::cancel(Effects& effects) {
    if (pending_) effects.cancel(*pending_);
}

std::string ReadinessWatch::failure() const {
    if (!failure_.empty()) return failure_;
    if (probe_ && probe_->attempts() > 0) {
        return "no connection to " + ready_.host + ":" + std::to_string(ready_.port) + " (" +
               probe_->last_error().message() + ")";
    }
    return {};
}

}  // namespace superv::core

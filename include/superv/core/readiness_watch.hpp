// One process instance's readiness source, carried out on the loop through
// Effects: reads of the `ready = { fd = N }` pipe, connect attempts for
// `{ tcp = ... }`, a matcher on the captured output for `{ log = ... }`.
// `notify` needs nothing per instance but its environment (the daemon's
// notify inbox reaches Supervisor::notify), `healthy` comes from the health
// checks, and a program without `ready` has no watch at all.
//
// A request of the watch may be in flight when its instance ends: the
// supervisor then cancels it and keeps the watch (its read buffer, its
// socket) until that request's completion has come back.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "superv/config/config.hpp"
#include "superv/core/effects.hpp"
#include "superv/core/lifecycle.hpp"
#include "superv/core/readiness/log_matcher.hpp"
#include "superv/core/readiness/ready_pipe.hpp"
#include "superv/core/readiness/tcp_probe.hpp"

namespace superv::core {

class ReadinessWatch {
  public:
    enum class Outcome { Pending, Ready, Failed };

    // Before the spawn: the fd kind's pipe, its child end in `extras`. Null
    // for a kind with nothing to watch per instance.
    static std::variant<std::unique_ptr<ReadinessWatch>, SpawnFailure> prepare(
        const config::Readiness& ready, SpawnExtras& extras);

    // The spawn has happened (or failed): the child's end of the pipe closes,
    // so that EOF means the program closed it.
    void spawned();
    // The first request: the pipe's read, the first connect. `ready_timeout`
    // bounds the connect retries.
    Outcome start(Effects& effects, loop::Tag tag, Millis ready_timeout);
    // The completion of the request tagged pending(); `next` tags the one
    // that may follow it.
    Outcome on_completion(Effects& effects, int result, loop::Tag next);
    // `log`: a chunk of stream `index` (0 stdout, 1 stderr) of the output.
    Outcome on_output(std::size_t index, std::string_view chunk);

    // A request is in flight, with this tag.
    std::optional<loop::Tag> pending() const { return pending_; }
    void cancel(Effects& effects);

    // Why it failed ("closed fd 3 without writing a line"), or for a
    // timeout what the source saw last ("connect: Connection refused");
    // empty when there is nothing to say.
    std::string failure() const;

  private:
    explicit ReadinessWatch(config::Readiness ready) : ready_(std::move(ready)) {}
    Outcome probe_step(Effects& effects, readiness::TcpProbe::Step step, loop::Tag tag);

    config::Readiness ready_;
    std::unique_ptr<readiness::ReadyPipe> pipe_;
    sys::Fd child_end_;
    std::optional<readiness::TcpProbe> probe_;
    bool waiting_retry_ = false;  // the probe's pending request is its retry timer
    std::array<std::optional<readiness::LogLineMatcher>, 2> matchers_;
    std::optional<loop::Tag> pending_;
    std::string failure_;
};

}  // namespace superv::core

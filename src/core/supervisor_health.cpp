// The supervisor's part of health checks: a run every `interval` while an
// instance is up (the first `interval` after its spawn, as Docker's), each
// bounded by `timeout` (an exec run by the process's health timer, a socket
// run by its requests' own deadline), its result fed to the instance's HealthState; a
// change makes it ready (ready = "healthy"), lets `healthy` dependents start
// (the planner reads it), or restarts it alone (on_unhealthy = "restart").
#include <spdlog/spdlog.h>

#include "superv/core/health/run_schedule.hpp"
#include "superv/core/supervisor.hpp"

namespace superv::core {

using config::HealthCheck;

void Supervisor::start_health(Process& p) {
    const HealthCheck& check = p.spec.program->healthcheck;
    if (check.kind == HealthCheck::Kind::None) return;
    p.health.emplace(check, p.started);
    if (check.kind == HealthCheck::Kind::Exec) p.health_check_spec = health::check_spec(p.spec);
    set_health_timer(p, health::next_run(effects_.now(), check.interval));
}

// The instance is stopping or gone: no more runs; one in progress ends.
void Supervisor::stop_health(Process& p) {
    clear_health_timer(p);
    if (!p.health_probe) return;
    p.health_probe->abandon(effects_, "stopped");
    retire_probe(std::move(p.health_probe));
}

void Supervisor::set_health_timer(Process& p, loop::Clock::time_point at) {
    arm_timer_at(p, loop::TagKind::HealthTimer, p.health_timer_gen, at);
}

void Supervisor::clear_health_timer(Process& p) {
    disarm_timer(p, loop::TagKind::HealthTimer, p.health_timer_gen);
}

// The timer: the next run starts, or the running exec run has timed out.
void Supervisor::on_health_timer(Process& p) {
    p.health_timer_gen = 0;
    if (!p.health || !p.live()) return;
    const HealthCheck& check = p.spec.program->healthcheck;
    if (p.health_probe) {  // an exec run's timeout (socket requests carry their own)
        p.health_probe->abandon(effects_, health::timed_out_text(check));
        finish_health_check(p);
        return;
    }
    p.health_probe = std::make_unique<health::HealthProbe>(check, effects_.now());
    const auto outcome =
        p.health_probe->start(effects_, p.health_check_spec ? *p.health_check_spec : p.spec,
                              loop::Tag{loop::TagKind::HealthIo, p.id.slot, next_gen()},
                              loop::Tag{loop::TagKind::HealthExit, p.id.slot, next_gen()});
    if (const pid_t pid = p.health_probe->check_pid(); pid != 0) managed_pids_.insert(pid);
    if (outcome == health::HealthProbe::Outcome::Done) {
        finish_health_check(p);
    } else if (check.kind == HealthCheck::Kind::Exec) {
        set_health_timer(p, effects_.now() + check.timeout);
    }
}

void Supervisor::on_health_completion(const loop::Completion& c) {
    const bool io = c.tag.kind == loop::TagKind::HealthIo;
    auto matches = [&](const health::HealthProbe& probe) {
        return io ? probe.pending_io() == c.tag : probe.pending_exit() == c.tag;
    };
    auto complete = [&](health::HealthProbe& probe) {
        if (io) {
            return probe.on_io(effects_, c.result,
                               loop::Tag{loop::TagKind::HealthIo, c.tag.slot, next_gen()});
        }
        managed_pids_.erase(probe.check_pid());
        return probe.on_exit(effects_, c.result);
    };
    Process* p = c.tag.slot < slots_.size() ? slots_[c.tag.slot].get() : nullptr;
    if (p != nullptr && p->health_probe && matches(*p->health_probe)) {
        if (complete(*p->health_probe) == health::HealthProbe::Outcome::Done) {
            finish_health_check(*p);
        }
        return;
    }
    // The last request or exit of an ended run: now its probe can go.
    for (auto it = retired_probes_.begin(); it != retired_probes_.end(); ++it) {
        if (!matches(**it)) continue;
        complete(**it);
        if (!(*it)->in_flight()) retired_probes_.erase(it);
        return;
    }
}

void Supervisor::finish_health_check(Process& p) {
    const health::CheckResult result = p.health_probe->result();
    retire_probe(std::move(p.health_probe));
    // The next run is timed from the end of this one (on the grid of
    // run_schedule.hpp). Set first: a restart that the result causes clears
    // it again.
    set_health_timer(p, health::next_run(effects_.now(), p.spec.program->healthcheck.interval));
    on_health_result(p, result);
}

void Supervisor::on_health_result(Process& p, const health::CheckResult& result) {
    const auto change = p.health->record(result, effects_.now());
    const std::string name = p.display_name();
    if (change == health::HealthState::Change::BecameHealthy) {
        spdlog::info("{}: healthy ({})", name, result.detail);
        if (p.spec.program->ready.kind == config::Readiness::Kind::Healthy &&
            !p.lifecycle.ready()) {
            deliver(p, event::Ready{});
        }
        return;
    }
    if (result.passed) return;
    if (change == health::HealthState::Change::None) {
        spdlog::debug("{}: health check failed: {}", name, result.detail);
        return;
    }
    const std::string why = p.health->describe();
    if (!p.spec.program->healthcheck.restart_on_unhealthy) {
        spdlog::warn("{}: {}", name, why);
        return;
    }
    ++p.health_restarts;
    spdlog::warn("{}: {}: restarting it", name, why);
    run({Member{p.id, Goal::Replace, std::nullopt, true}}, nullptr);
}

void Supervisor::retire_probe(std::unique_ptr<health::HealthProbe> probe) {
    if (probe && probe->in_flight()) retired_probes_.push_back(std::move(probe));
}

}  // namespace superv::core

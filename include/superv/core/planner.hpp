// The start order as a pure decision: given the dependency graph and what is
// known of every process, which processes to signal and which to spawn now,
// and why each other member of the request is not acted on yet. No
// processes, clocks or logs: the supervisor calls plan() after every round of
// events, carries out stop_now and start_now, records that in the facts
// (stop_issued, start_issued) and calls it again when something changed. One
// call is linear in processes + edges.
//
// One request can mix goals, so `update` is one plan: removed programs
// Stop, changed ones Replace, added ones Start; `reload` is Replace for all,
// `shutdown` Stop for all, `restart X` Replace for X and what needs X.
//
// Starting. A member is spawned the moment every needs() edge holds in its
// target, all such members in one batch; a chain starts link by link. An
// edge on a member that is itself to be (re)started holds only for its new
// instance, i.e. once the caller has set that member's start_issued.
// Priority does not delay a start: start_now is in ascending priority, so a
// lower number is spawned first, but a batch is spawned whole. This is
// supervisord's meaning (startAllProcesses and autostart spawn everything in
// priority order without waiting for any to be RUNNING) and superv's before
// the graph; a process that must wait for another says so with depends_on.
// Being no gate, priority cannot deadlock a start.
//
// Blocked. A member that can never start in this request is reported with
// the dependency that prevents it (the root cause, also through a chain:
// web needs app needs db, db FATAL: web is blocked by db), so the caller can
// say "dependency db is FATAL" and end the operation instead of waiting for
// ever. A dependency can never hold when it is down (no live process, not
// in BACKOFF) and will not be started by this request: it is FATAL, or
// STOPPED / EXITED outside the request (e.g. a reload of web alone while the
// user stopped db: web is blocked, "dependency db is not started"; `start
// X` avoids this because the caller passes with_requirements()), or a member
// whose start was already issued and that went down again (a oneshot that
// failed to FATAL). A FATAL member whose start is not yet issued is started
// again, so its dependents wait for it instead.
//
// Stopping (Stop and Replace members with a live or BACKOFF process). A
// member is signalled once every dependent (needed_by) that is also in the
// stop set has its old instance gone, and once no member of a higher stop
// rank is still up; each such wave is one batch, stop_now in descending
// priority. The stop rank is the priority, lowered to the lowest rank of the
// process's dependents in the stop set: so higher priority numbers stop first
// (supervisord's shutdown, superv's StopOperation) among unrelated processes,
// and a process never stops before what needs it. Ranking by the raw priority
// could deadlock: db (900) needed by web (100) with cache (500) unrelated
// would have db wait for web, web for cache and cache for db; with ranks db
// takes web's 100, cache goes first, then web, then db.
//
// Replacing (restart, reload, update of a changed program). Each member's
// new instance is spawned as soon as its own old instance is gone and its
// edges hold, not when the whole set has stopped: 29 programs that stop
// fast come back while a 30th is still stopping. The old instance is
// stopped by the rules above even when the new one turns out blocked: the
// request asked for a new instance.
//
// Idempotent: the same facts give the same plan. What the caller issued is
// not returned again, because it sets stop_issued / start_issued.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "superv/config/config.hpp"
#include "superv/config/dependencies.hpp"
#include "superv/core/state.hpp"

namespace superv::core {

// What the current request wants of a process.
enum class Goal {
    None,     // not in the request: only a dependency, as it is
    Start,    // up: spawned unless live, in BACKOFF, or a oneshot that completed
    Stop,     // down: signalled unless already down
    Replace,  // a new instance: the old one (if any) stopped, then spawned again, oneshots rerun
};

// What is known of one process, by graph index.
struct ProcessFacts {
    State state = State::Stopped;
    bool spawned = false;    // it has a live process (pid)
    bool ready = false;      // the readiness fact beside the state (its `ready` holds)
    bool healthy = false;    // its health check passes
    bool completed = false;  // a oneshot whose current run exited with a code in exitcodes
    int priority = 999;      // the spec's (its group's where the group sets one)
    Goal goal = Goal::None;
    // Set by the caller once it carried out this request's action on the
    // process (a stop signal sent, a Start delivered); cleared for a new
    // request. Without them a FATAL member would be respawned on every call.
    bool stop_issued = false;
    bool start_issued = false;
};

// A member whose next action waits, and for what.
struct Waiting {
    enum class For {
        Condition,      // `target` to meet `condition` (the first unmet needs() edge)
        OwnStop,        // its own process to finish stopping (target is itself)
        DependentStop,  // `target`, which needs it and is stopping too, to be down
        PriorityStop,   // `target`, of a higher stop rank, to be down
    };
    std::size_t process;
    For what;
    std::size_t target;
    config::Condition condition = config::Condition::Started;  // For::Condition only
    bool operator==(const Waiting&) const = default;
};

// A member that cannot start in this request.
struct Blocked {
    std::size_t process;
    // The dependency that can never hold (FATAL, or down outside the
    // request), at the end of the chain. `process` itself: it is on or needs
    // a dependency cycle (only in graphs the loader refuses).
    std::size_t cause;
    std::size_t via;  // the needs() target through which `cause` blocks it
    bool operator==(const Blocked&) const = default;
};

struct Plan {
    std::vector<std::size_t> stop_now;   // signal now, one batch, higher priority first
    std::vector<std::size_t> start_now;  // spawn now, one batch, lower priority first
    // Both in start order (the graph's order()), then processes on a cycle.
    std::vector<Waiting> waiting;
    std::vector<Blocked> blocked;

    // Nothing left to decide: every member's action was issued (the caller
    // still waits for their states) or it is blocked.
    bool idle() const { return stop_now.empty() && start_now.empty() && waiting.empty(); }
    bool operator==(const Plan&) const = default;
};

// `facts` has one entry per graph process (facts.size() == graph.size()).
Plan plan(const config::DependencyGraph& graph, std::span<const ProcessFacts> facts);

// For status, with display names: "waiting for db (ready)", "waiting for web
// to stop", "waiting for cache to stop (priority)", "waiting for its stop".
std::string describe(const config::DependencyGraph& graph, const Waiting& waiting);
// "dependency db is FATAL", "dependency db is not started", "dependency
// migrate is EXITED", "dependency cycle".
std::string describe(const config::DependencyGraph& graph, std::span<const ProcessFacts> facts,
                     const Blocked& blocked);

}  // namespace superv::core

// Start order through the supervisor and FakeEffects: chains start link by
// link in the same round as the event that frees them, stops and restarts
// take dependents along, a FATAL dependency blocks what needs it.
#include <gmock/gmock.h>

#include "supervisor_rules.hpp"

namespace superv::core::test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

config::ProgramConfig needing(config::ProgramConfig p,
                              std::vector<std::pair<std::string, config::Condition>> deps) {
    for (auto& [target, condition] : deps)
        p.depends_on.push_back(config::Dependency{target, condition, {}});
    return p;
}

class StartOrder : public SupervisorRules {
  protected:
    // db (ready = notify) <- migrate (oneshot) <- web (db ready, migrate completed)
    void stack() {
        sup.set_notify_environment({"NOTIFY_SOCKET=/run/test/notify"});
        auto db = program("db");
        db.ready.kind = config::Readiness::Kind::Notify;
        auto migrate = needing(program("migrate"), {{"db", config::Condition::Ready}});
        migrate.type = config::ProgramType::Oneshot;
        auto web = needing(program("web"), {{"db", config::Condition::Ready},
                                            {"migrate", config::Condition::Completed}});
        web_ = add(web);  // added first: the graph, not the table, orders them
        migrate_ = add(migrate);
        db_ = add(db);
    }
    void db_ready() {
        readiness::NotifyEvent e;
        e.process = e.sender = process("db").pid();
        e.message.ready = true;
        sup.notify(e);
        sup.settle();
    }
    ProcessId web_, migrate_, db_;
};

TEST_F(StartOrder, StartPullsInWhatItNeedsAndStartsLinkByLink) {
    stack();
    start({web_});
    EXPECT_THAT(take_calls(), ElementsAre("spawn db", "timer db 90000", "submit"));
    EXPECT_EQ(state("web"), State::Stopped);
    EXPECT_EQ(process("web").reason, "waiting for db (ready)");
    EXPECT_EQ(process("migrate").reason, "waiting for db (ready)");
    db_ready();
    EXPECT_THAT(take_calls(), ElementsAre("cancel db", "spawn migrate", "submit"))
        << "the dependent spawns in the round that made db ready";
    EXPECT_EQ(process("web").reason, "waiting for migrate (completed)");
    exit("migrate", 0);
    EXPECT_THAT(take_calls(), Contains("spawn web"));
    EXPECT_EQ(state("web"), State::Running);
    EXPECT_EQ(operations_done, 1);
    ASSERT_EQ(results.size(), 3u);
    for (const auto& r : results)
        EXPECT_TRUE(r.ok) << r.name << ": " << r.detail;
}

TEST_F(StartOrder, IndependentProcessesStartInOneBatch) {
    const ProcessId a = add(program("a"));
    const ProcessId b = add(program("b"));
    const ProcessId c = add(needing(program("c"), {{"a", config::Condition::Running}}));
    start({a, b, c});
    EXPECT_THAT(take_calls(), ElementsAre("spawn a", "spawn b", "spawn c", "submit"))
        << "a is RUNNING at once (startsecs 0): c follows in the same submit";
}

TEST_F(StartOrder, AFatalDependencyBlocksItsDependentsAndEndsTheStart) {
    stack();
    fx.fail_spawn("db", SpawnFailure{"execve /bin/db: No such file or directory", ENOENT});
    start({web_});
    EXPECT_EQ(state("db"), State::Fatal);
    EXPECT_EQ(state("web"), State::Stopped);
    EXPECT_EQ(process("web").reason, "dependency db is FATAL");
    EXPECT_EQ(process("migrate").reason, "dependency db is FATAL");
    EXPECT_THAT(fx.calls, Not(Contains("spawn web")));
    EXPECT_EQ(operations_done, 1);
    for (const auto& r : results)
        EXPECT_FALSE(r.ok) << r.name;
}

TEST_F(StartOrder, AFailingOneshotBlocksWhatWaitsForItsCompletion) {
    stack();
    start({web_});
    db_ready();
    exit("migrate", 3);  // startretries 0: FATAL
    EXPECT_EQ(state("migrate"), State::Fatal);
    EXPECT_EQ(process("web").reason, "dependency migrate is FATAL");
    EXPECT_EQ(state("db"), State::Running) << "what it needed stays up";
    EXPECT_EQ(operations_done, 1);
}

TEST_F(StartOrder, StopTakesDownWhatNeedsItFirst) {
    stack();
    start({web_});
    db_ready();
    exit("migrate", 0);
    take_calls();
    stop({db_});
    EXPECT_THAT(take_calls(), ElementsAre("signal web TERM", "timer web 2000", "submit"));
    exit("web", 0);
    EXPECT_THAT(take_calls(),
                ElementsAre("cancel web", "signal db TERM", "timer db 2000", "submit"));
    exit("db", 0);
    EXPECT_EQ(operations_done, 2);
    EXPECT_EQ(state("web"), State::Stopped);
    EXPECT_EQ(state("migrate"), State::Exited) << "a completed oneshot has nothing to stop";
}

TEST_F(StartOrder, RestartReplacesDependentsEachAsSoonAsItsOwnOldInstanceIsGone) {
    const ProcessId db = add(program("db"));
    const ProcessId web = add(needing(program("web"), {{"db", config::Condition::Running}}));
    start({db, web});
    take_calls();
    sup.replace({db}, [this](const auto& r) {
        results = r;
        ++operations_done;
    });
    EXPECT_THAT(take_calls(), ElementsAre("signal web TERM", "timer web 2000", "submit"));
    exit("web", 0);
    EXPECT_THAT(take_calls(),
                ElementsAre("cancel web", "signal db TERM", "timer db 2000", "submit"));
    EXPECT_EQ(process("web").reason, "waiting for db (running)");
    exit("db", 0);
    EXPECT_THAT(take_calls(), ElementsAre("cancel db", "spawn db", "spawn web", "submit"));
    EXPECT_EQ(operations_done, 2);
    EXPECT_EQ(results.size(), 2u);
}

TEST_F(StartOrder, AReplacedProcessComesBackWithoutWaitingForASlowerOne) {
    const ProcessId fast = add(program("fast"));
    auto slow_program = program("slow");
    slow_program.stopwaitsecs = 10000ms;
    const ProcessId slow = add(slow_program);
    start({fast, slow});
    take_calls();
    sup.replace({fast, slow}, nullptr);
    take_calls();
    exit("fast", 0);
    EXPECT_THAT(take_calls(), Contains("spawn fast"));
    EXPECT_EQ(state("fast"), State::Running);
    EXPECT_EQ(state("slow"), State::Stopping);
}

TEST_F(StartOrder, AReplaceTakesTheNewSpecWhenTheNewInstanceStarts) {
    const ProcessId id = add(program("app"));
    start({id});
    auto next = program("app");
    next.command = {"/bin/app", "--v2"};
    config::ProcessSpec spec;
    spec.name = spec.group = "app";
    spec.program = std::make_shared<const config::ProgramConfig>(next);
    sup.run({Supervisor::Member{id, Goal::Replace, spec}}, nullptr);
    EXPECT_EQ(process("app").spec.program->command.size(), 1u) << "the old one is still up";
    exit("app", 0);
    EXPECT_EQ(state("app"), State::Running);
    EXPECT_EQ(process("app").spec.program->command.back(), "--v2");
}

TEST_F(StartOrder, StartRerunsACompletedOneshotNamedButNotOneThatIsOnlyNeeded) {
    stack();
    start({web_});
    db_ready();
    exit("migrate", 0);
    take_calls();
    start({web_});
    EXPECT_THAT(take_calls(), Not(Contains("spawn migrate"))) << "web's start leaves it done";
    start({migrate_});
    EXPECT_THAT(take_calls(), Contains("spawn migrate"));
    EXPECT_EQ(state("migrate"), State::Starting);
}

}  // namespace
}  // namespace superv::core::test

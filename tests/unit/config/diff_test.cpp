// `update`'s view of a config change.
#include "superv/config/diff.hpp"

#include <gtest/gtest.h>

namespace superv::config {
namespace {

ProcessSpec spec(const std::string& name, const std::string& group, int startsecs = 1) {
    auto program = std::make_shared<ProgramConfig>();
    program->name = name;
    program->command = {"/bin/true"};
    program->startsecs = Millis(startsecs * 1000);
    return ProcessSpec{name, group, 0, program};
}

std::vector<std::string> names(const std::vector<ProcessSpec>& specs) {
    std::vector<std::string> out;
    for (const auto& s : specs)
        out.push_back(s.full_name());
    return out;
}

TEST(ProcessDiff, SortsProcessesIntoAddedRemovedChangedAndUnchanged) {
    const std::vector<ProcessSpec> running = {spec("keep", "keep"), spec("edit", "edit"),
                                              spec("gone", "gone")};
    const std::vector<ProcessSpec> wanted = {spec("keep", "keep"), spec("edit", "edit", 5),
                                             spec("new", "new")};
    const auto d = diff_processes(running, wanted);
    EXPECT_EQ(names(d.added), std::vector<std::string>{"new:new"});
    EXPECT_EQ(d.removed, std::vector<std::string>{"gone:gone"});
    EXPECT_EQ(names(d.changed), std::vector<std::string>{"edit:edit"});
    EXPECT_EQ(d.unchanged, std::vector<std::string>{"keep:keep"});
}

TEST(ProcessDiff, AProcessThatMovedToAnotherGroupIsRemovedAndAdded) {
    const auto d = diff_processes({spec("web", "web")}, {spec("web", "backend")});
    EXPECT_EQ(names(d.added), std::vector<std::string>{"backend:web"});
    EXPECT_EQ(d.removed, std::vector<std::string>{"web:web"});
    EXPECT_TRUE(d.changed.empty());
}

TEST(ProcessDiff, TheSourcePositionIsNotAnOption) {
    auto moved = spec("web", "web");
    auto program = std::make_shared<ProgramConfig>(*moved.program);
    program->pos = SourcePos{"other.toml", 40, 1};
    moved.program = program;
    const auto d = diff_processes({spec("web", "web")}, {moved});
    EXPECT_EQ(d.unchanged, std::vector<std::string>{"web:web"});
}

TEST(ProcessDiff, EveryOptionCountsAsAChange) {
    auto base = spec("web", "web");
    std::vector<std::function<void(ProgramConfig&)>> edits = {
        [](ProgramConfig& p) { p.command.push_back("x"); },
        [](ProgramConfig& p) { p.environment["A"] = "1"; },
        [](ProgramConfig& p) { p.stopsignal = 1; },
        [](ProgramConfig& p) { p.autorestart = AutoRestart::Never; },
        [](ProgramConfig& p) { p.stdout_log.backups = 3; },
        [](ProgramConfig& p) { p.priority = 1; },
        [](ProgramConfig& p) { p.critical = true; },
        [](ProgramConfig& p) { p.umask = 027; },
        [](ProgramConfig& p) { p.type = ProgramType::Oneshot; },
        [](ProgramConfig& p) {
            p.depends_on.push_back({"db", Condition::Ready, {}});
        },
        [](ProgramConfig& p) { p.ready.kind = Readiness::Kind::Notify; },
        [](ProgramConfig& p) { p.ready_timeout = Millis(5000); },
    };
    for (std::size_t i = 0; i < edits.size(); ++i) {
        auto program = std::make_shared<ProgramConfig>(*base.program);
        edits[i](*program);
        ProcessSpec edited = base;
        edited.program = program;
        EXPECT_EQ(diff_processes({base}, {edited}).changed.size(), 1u) << "edit " << i;
    }
}

TEST(ProcessDiff, DependenciesCompareAsASetWithoutPositions) {
    auto with = [](std::vector<Dependency> dependencies) {
        ProcessSpec web = spec("web", "web");
        auto program = std::make_shared<ProgramConfig>(*web.program);
        program->depends_on = std::move(dependencies);
        web.program = program;
        return web;
    };
    const auto before = with({{"db", Condition::Ready, {"a.toml", 3, 15}},
                              {"cache", Condition::Started, {"a.toml", 3, 21}}});
    const auto reordered = with({{"cache", Condition::Started, {"b.toml", 9, 1}},
                                 {"db", Condition::Ready, {"b.toml", 9, 9}}});
    EXPECT_EQ(diff_processes({before}, {reordered}).unchanged.size(), 1u);
    const auto stronger = with({{"db", Condition::Ready, {}}, {"cache", Condition::Running, {}}});
    EXPECT_EQ(diff_processes({before}, {stronger}).changed.size(), 1u);
}

}  // namespace
}  // namespace superv::config

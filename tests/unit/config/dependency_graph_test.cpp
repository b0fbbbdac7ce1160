// DependencyGraph: `depends_on` resolved to processes (groups and numprocs
// meaning every process), both directions, depths, a start order, the
// closures `start X` and `stop X` act on, and cycles in graphs the loader
// would have refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "load_helpers.hpp"
#include "superv/config/dependencies.hpp"
#include "temp_files.hpp"

namespace superv::config {
namespace {

using test_support::load_ok;
using test_support::program;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::string edge_text(const DependencyGraph& graph, const DependencyGraph::Edge& edge) {
    return graph.name(edge.process) + " " + std::string(condition_name(edge.condition));
}

std::vector<std::string> needs(const DependencyGraph& graph, const std::string& name) {
    std::vector<std::string> out;
    for (const auto& edge : graph.needs(*graph.find(name)))
        out.push_back(edge_text(graph, edge));
    return out;
}

std::vector<std::string> needed_by(const DependencyGraph& graph, const std::string& name) {
    std::vector<std::string> out;
    for (const auto& edge : graph.needed_by(*graph.find(name)))
        out.push_back(edge_text(graph, edge));
    return out;
}

std::vector<std::string> names(const DependencyGraph& graph, std::span<const std::size_t> list) {
    std::vector<std::string> out;
    for (std::size_t i : list)
        out.push_back(graph.name(i));
    return out;
}

// A program per name, each depending on the programs `edges` lists for it,
// built without the loader's checks (so cycles get through).
std::vector<ProcessSpec> specs(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& edges) {
    std::vector<ProcessSpec> out;
    for (const auto& [name, targets] : edges) {
        auto p = std::make_shared<ProgramConfig>();
        p->name = name;
        for (const std::string& target : targets)
            p->depends_on.push_back(Dependency{target, Condition::Ready, {}});
        out.push_back(ProcessSpec{name, name, 0, p});
    }
    return out;
}

TEST(DependencyGraph, AChainStartsLinkByLink) {
    const DependencyGraph graph(load_ok(program("db") + program("app", "depends_on = [\"db\"]\n") +
                                        program("web", "depends_on = [\"app\"]\n")));
    EXPECT_THAT(needs(graph, "web:web"), ElementsAre("app:app ready"));
    EXPECT_THAT(needed_by(graph, "db:db"), ElementsAre("app:app ready"));
    EXPECT_THAT(needs(graph, "db:db"), IsEmpty());
    EXPECT_THAT(names(graph, graph.order()), ElementsAre("db:db", "app:app", "web:web"));
    EXPECT_EQ(graph.depth(*graph.find("web:web")), 2u);
    EXPECT_TRUE(graph.acyclic());
    EXPECT_THAT(graph.cycle(), IsEmpty());
}

TEST(DependencyGraph, ADiamondOrdersByDepthThenConfigOrder) {
    const DependencyGraph graph(load_ok(program("top", "depends_on = [\"left\", \"right\"]\n") +
                                        program("right", "depends_on = [\"base\"]\n") +
                                        program("left", "depends_on = { base = \"started\" }\n") +
                                        program("base") + program("alone")));
    EXPECT_THAT(names(graph, graph.order()),
                ElementsAre("base:base", "alone:alone", "right:right", "left:left", "top:top"));
    EXPECT_THAT(needed_by(graph, "base:base"),
                ElementsAre("right:right ready", "left:left started"));
    EXPECT_EQ(graph.depth(*graph.find("right:right")), 1u);
    EXPECT_EQ(graph.depth(*graph.find("top:top")), 2u);
}

TEST(DependencyGraph, AGroupTargetMeansEveryProcessOfEveryMember) {
    const DependencyGraph graph(load_ok(program("api") + program("worker", "numprocs = 2\n") +
                                        "[groups.back]\nprograms = [\"api\", \"worker\"]\n" +
                                        program("web", "depends_on = { back = \"running\" }\n")));
    EXPECT_THAT(needs(graph, "web:web"), ElementsAre("back:api running", "back:worker_00 running",
                                                     "back:worker_01 running"));
}

TEST(DependencyGraph, EveryProcessOfADependentNeedsEveryProcessOfItsTarget) {
    const DependencyGraph graph(load_ok(program("db", "numprocs = 2\n") +
                                        program("web", "numprocs = 2\ndepends_on = [\"db\"]\n")));
    EXPECT_THAT(needs(graph, "web:web_01"), ElementsAre("db:db_00 ready", "db:db_01 ready"));
    EXPECT_THAT(needed_by(graph, "db:db_00"), ElementsAre("web:web_00 ready", "web:web_01 ready"));
}

TEST(DependencyGraph, ReadyOnAOneshotIsCheckedAsCompleted) {
    const DependencyGraph graph(load_ok(
        program("migrate", "type = \"oneshot\"\n") + program("seed", "type = \"oneshot\"\n") +
        program("web", "depends_on = { migrate = \"ready\", seed = \"started\" }\n")));
    EXPECT_THAT(needs(graph, "web:web"),
                ElementsAre("migrate:migrate completed", "seed:seed started"));
}

TEST(DependencyGraph, EachEdgeNamesTheEntryItComesFrom) {
    const DependencyGraph graph(load_ok(program("a") + program("b") +
                                        "[groups.g]\nprograms = [\"b\"]\n" +
                                        program("web", "depends_on = [\"a\", \"g\"]\n")));
    const auto edges = graph.needs(*graph.find("web:web"));
    ASSERT_THAT(edges, SizeIs(2));
    EXPECT_EQ(edges[0].entry, 0u);
    EXPECT_EQ(edges[1].entry, 1u);
}

TEST(DependencyGraph, ATargetNamedTwiceGivesOneEdgePerCondition) {
    const DependencyGraph graph(
        load_ok(program("a") + program("b") + "[groups.g]\nprograms = [\"a\", \"b\"]\n" +
                program("x", "depends_on = [\"a\", \"g\"]\n") +
                program("y", "depends_on = { a = \"started\", g = \"ready\" }\n")));
    EXPECT_THAT(needs(graph, "x:x"), ElementsAre("g:a ready", "g:b ready"));
    EXPECT_THAT(needs(graph, "y:y"), ElementsAre("g:a started", "g:a ready", "g:b ready"));
}

TEST(DependencyGraph, AProgramNameWinsOverTheGroupItNames) {
    const DependencyGraph graph(load_ok(program("web") + program("assets") +
                                        "[groups.web]\nprograms = [\"web\", \"assets\"]\n" +
                                        program("x", "depends_on = [\"web\"]\n")));
    EXPECT_THAT(needs(graph, "x:x"), ElementsAre("web:web ready"));
}

TEST(DependencyGraph, TargetsInIncludedFilesResolve) {
    test_support::TempFiles files;
    const std::string main =
        files.write("superv.toml",
                    "include = [\"conf.d/*.toml\"]\n" + program("web", "depends_on = [\"db\"]\n"));
    files.write("conf.d/db.toml", program("db", "numprocs = 2\n"));
    LoadResult result = load_file(main, LoadOptions{false});
    ASSERT_TRUE(result.ok());
    const DependencyGraph graph(result.config());
    EXPECT_THAT(needs(graph, "web:web"), ElementsAre("db:db_00 ready", "db:db_01 ready"));
    EXPECT_THAT(names(graph, graph.order()), ElementsAre("db:db_00", "db:db_01", "web:web"));
}

TEST(DependencyGraph, StartPullsInRequirementsAndStopPushesOutDependents) {
    const DependencyGraph graph(load_ok(
        program("db") + program("cache") + program("app", "depends_on = [\"db\", \"cache\"]\n") +
        program("web", "depends_on = [\"app\"]\n") + program("cron", "depends_on = [\"db\"]\n")));
    const std::size_t app = *graph.find("app:app"), db = *graph.find("db:db");
    EXPECT_THAT(names(graph, graph.with_requirements(std::vector{app})),
                ElementsAre("db:db", "cache:cache", "app:app"));
    EXPECT_THAT(names(graph, graph.with_dependents(std::vector{db})),
                ElementsAre("web:web", "cron:cron", "app:app", "db:db"));
    EXPECT_FALSE(graph.find("nothing:nothing").has_value());
}

TEST(DependencyGraph, FindsACycleOfTwo) {
    const DependencyGraph graph(
        specs({{"base", {}}, {"web", {"db"}}, {"db", {"web"}}, {"after", {"web"}}}));
    EXPECT_FALSE(graph.acyclic());
    EXPECT_THAT(names(graph, graph.cycle()), ElementsAre("web:web", "db:db"));
    // The cycle and what needs it are left out of the order.
    EXPECT_THAT(names(graph, graph.order()), ElementsAre("base:base"));
}

TEST(DependencyGraph, FindsALongerCycle) {
    const DependencyGraph graph(specs({{"a", {"b"}}, {"b", {"c"}}, {"c", {"a"}}}));
    EXPECT_THAT(names(graph, graph.cycle()), ElementsAre("a:a", "b:b", "c:c"));
    EXPECT_THAT(graph.order(), IsEmpty());
}

TEST(DependencyGraph, LeavesOutSelfEdgesAndUnknownTargets) {
    const DependencyGraph graph(specs({{"a", {"a", "nothing"}}, {"b", {"a"}}}));
    EXPECT_TRUE(graph.acyclic());
    EXPECT_THAT(needs(graph, "a:a"), IsEmpty());
    EXPECT_THAT(names(graph, graph.order()), ElementsAre("a:a", "b:b"));
}

TEST(DependencyGraph, AThousandProgramsInDeepChainsFromTheLoader) {
    // Ten chains of 100, each link also needing the link before the last:
    // 1000 programs, ~1980 edges, depth 99. Every step is linear; the figure
    // goes to bench/.
    std::string text;
    for (int chain = 0; chain < 10; ++chain) {
        for (int link = 0; link < 100; ++link) {
            auto name = [&](int l) {
                return "c" + std::to_string(chain) + "_" + std::to_string(l);
            };
            std::string extra;
            if (link == 1) extra = "depends_on = [\"" + name(0) + "\"]\n";
            if (link > 1)
                extra = "depends_on = [\"" + name(link - 1) + "\", \"" + name(link - 2) + "\"]\n";
            text += program(name(link), extra);
        }
    }
    const DependencyGraph graph(load_ok(text));
    ASSERT_EQ(graph.size(), 1000u);
    ASSERT_TRUE(graph.acyclic());
    const std::size_t last = *graph.find("c9_99:c9_99");
    EXPECT_EQ(graph.depth(last), 99u);
    EXPECT_THAT(graph.with_requirements(std::vector{last}), SizeIs(100));
    // By depth: the ten chain heads first, the ten tails last.
    EXPECT_EQ(graph.name(graph.order()[9]), "c9_0:c9_0");
    EXPECT_EQ(graph.name(graph.order()[990]), "c0_99:c0_99");
    const auto stop = graph.with_dependents(std::vector{*graph.find("c3_0:c3_0")});
    ASSERT_THAT(stop, SizeIs(100));
    EXPECT_EQ(graph.name(stop.front()), "c3_99:c3_99");
}

TEST(DependencyGraph, ATenThousandLongChainIsWalkedWithoutRecursion) {
    std::vector<std::pair<std::string, std::vector<std::string>>> edges;
    for (int i = 0; i < 10000; ++i) {
        edges.push_back(
            {"p" + std::to_string(i), i ? std::vector<std::string>{"p" + std::to_string(i - 1)}
                                        : std::vector<std::string>{}});
    }
    edges[0].second.push_back("p9999");  // closes one cycle through everything
    const DependencyGraph graph(specs(edges));
    EXPECT_THAT(graph.cycle(), SizeIs(10000));
    EXPECT_THAT(graph.order(), IsEmpty());
}

}  // namespace
}  // namespace superv::config

// `depends_on` checked across the whole config: unknown targets, programs
// needing themselves, conditions that can never hold, and cycles, each at the
// exact entry, all reported at once, across included files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "load_helpers.hpp"
#include "temp_files.hpp"

namespace superv::config {
namespace {

using test_support::errors_of;
using test_support::load_ok;
using test_support::program;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

TEST(DependencyErrors, AnUnknownTargetIsReportedWithASuggestion) {
    EXPECT_THAT(errors_of(program("db") + program("web", "depends_on = [\"dbb\"]\n")),
                ElementsAre("/etc/superv/superv.toml:5:15: program \"web\" depends on \"dbb\", "
                            "which is not a program or a group (did you mean \"db\"?)"));
    EXPECT_THAT(errors_of(program("web", "depends_on = { cache = \"started\" }\n")),
                ElementsAre("/etc/superv/superv.toml:3:16: program \"web\" depends on "
                            "\"cache\", which is not a program or a group"));
}

TEST(DependencyErrors, AProcessNameIsNoTarget) {
    EXPECT_THAT(errors_of(program("db", "numprocs = 2\n") +
                          program("web", "depends_on = [\"db:db_00\"]\n")),
                ElementsAre("/etc/superv/superv.toml:6:15: program \"web\" depends on "
                            "\"db:db_00\", which is not a program or a group (a target is a "
                            "program or a group, not a process)"));
}

TEST(DependencyErrors, AProgramCannotDependOnItselfOrItsOwnGroup) {
    EXPECT_THAT(errors_of(program("web", "depends_on = [\"web\"]\n")),
                ElementsAre("/etc/superv/superv.toml:3:15: program \"web\" depends on itself"));
    EXPECT_THAT(errors_of(program("a", "depends_on = [\"g\"]\n") + program("b") +
                          "[groups.g]\nprograms = [\"a\", \"b\"]\n"),
                ElementsAre("/etc/superv/superv.toml:3:15: program \"a\" depends on group \"g\", "
                            "which it is in"));
}

TEST(DependencyErrors, ATwoProgramCycleIsNamedOnceAtTheEntryThatClosesIt) {
    EXPECT_THAT(errors_of(program("web", "depends_on = [\"db\"]\n") +
                          program("db", "depends_on = [\"web\"]\n")),
                ElementsAre("/etc/superv/superv.toml:6:15: dependency cycle: web -> db -> web"));
}

TEST(DependencyErrors, ALongerCycleIsNamedInFull) {
    EXPECT_THAT(
        errors_of(program("a", "depends_on = [\"b\"]\n") +
                  program("b", "depends_on = { c = \"started\" }\n") +
                  program("c", "depends_on = [\"d\"]\n") + program("d", "depends_on = [\"a\"]\n")),
        ElementsAre("/etc/superv/superv.toml:12:15: dependency cycle: a -> b -> c -> d "
                    "-> a"));
}

TEST(DependencyErrors, EachCycleIsReported) {
    // a -> b -> a and a -> c -> a share a; e -> f -> e is apart.
    EXPECT_THAT(
        errors_of(program("a", "depends_on = [\"b\", \"c\"]\n") +
                  program("b", "depends_on = [\"a\"]\n") + program("c", "depends_on = [\"a\"]\n") +
                  program("e", "depends_on = [\"f\"]\n") + program("f", "depends_on = [\"e\"]\n")),
        ElementsAre("/etc/superv/superv.toml:6:15: dependency cycle: a -> b -> a",
                    "/etc/superv/superv.toml:9:15: dependency cycle: a -> c -> a",
                    "/etc/superv/superv.toml:15:15: dependency cycle: e -> f -> e"));
}

TEST(DependencyErrors, ACycleThroughAGroupNamesTheGroup) {
    EXPECT_THAT(
        errors_of(program("a", "depends_on = [\"back\"]\n") +
                  program("b", "depends_on = [\"a\"]\n") + "[groups.back]\nprograms = [\"b\"]\n"),
        ElementsAre("/etc/superv/superv.toml:6:15: dependency cycle: a -> b -> a "
                    "(through group \"back\")"));
}

TEST(DependencyErrors, ADeepChainLoadsAndItsClosingCycleIsFound) {
    // Thousands deep: the checks must neither recurse nor go quadratic.
    constexpr int kPrograms = 3000;
    std::string text;
    for (int i = 0; i < kPrograms; ++i) {
        text += program("p" + std::to_string(i),
                        i == 0 ? "" : "depends_on = [\"p" + std::to_string(i - 1) + "\"]\n");
    }
    EXPECT_THAT(load_ok(text).programs, SizeIs(kPrograms));
    const std::string first = "command = \"/bin/p0\"\n";
    text.insert(text.find(first) + first.size(), "depends_on = [\"p2999\"]\n");
    auto errors = errors_of(text);
    ASSERT_THAT(errors, SizeIs(1));
    // Found from p0, the first program, so p1's entry closes it.
    EXPECT_THAT(errors[0], StartsWith("/etc/superv/superv.toml:6:15: dependency cycle: p0 -> "
                                      "p2999 -> p2998 -> "));
    EXPECT_THAT(errors[0], EndsWith(" -> p2 -> p1 -> p0"));
}

TEST(DependencyErrors, CompletedNeedsAOneshot) {
    EXPECT_THAT(errors_of(program("db") + program("web", "depends_on = { db = \"completed\" }\n")),
                ElementsAre("/etc/superv/superv.toml:5:16: condition \"completed\" on \"db\" "
                            "never holds: program \"db\" is not a oneshot (type = \"oneshot\"); "
                            "use \"ready\", \"running\" or \"started\""));
}

TEST(DependencyErrors, CompletedOnAGroupNeedsEveryMemberToBeAOneshot) {
    const std::string members = program("seed", "type = \"oneshot\"\n") + program("x") +
                                program("y") +
                                "[groups.init]\nprograms = [\"seed\", \"x\", \"y\"]\n";
    EXPECT_THAT(errors_of(members + program("web", "depends_on = { init = \"completed\" }\n")),
                ElementsAre("/etc/superv/superv.toml:12:16: condition \"completed\" on group "
                            "\"init\" never holds: its members \"x\" and \"y\" are not oneshots "
                            "(type = \"oneshot\"); use \"ready\", \"running\" or \"started\""));
}

TEST(DependencyErrors, RunningAndHealthyNeverHoldInAOneshot) {
    const std::string migrate = program("migrate", "type = \"oneshot\"\n");
    EXPECT_THAT(errors_of(migrate + program("web", "depends_on = { migrate = \"running\" }\n")),
                ElementsAre("/etc/superv/superv.toml:6:16: condition \"running\" on \"migrate\" "
                            "never holds: program \"migrate\" is a oneshot, never RUNNING; use "
                            "\"completed\" or \"started\""));
    EXPECT_THAT(errors_of(migrate + program("web", "depends_on = { migrate = \"healthy\" }\n")),
                ElementsAre(::testing::HasSubstr("condition \"healthy\" on \"migrate\" never "
                                                 "holds")));
}

TEST(DependencyErrors, EveryOtherConditionHoldsInAOneshot) {
    const std::string migrate = program("migrate", "type = \"oneshot\"\n");
    EXPECT_THAT(errors_of(migrate + program("a", "depends_on = [\"migrate\"]\n") +
                          program("b", "depends_on = { migrate = \"started\" }\n") +
                          program("c", "depends_on = { migrate = \"completed\" }\n")),
                IsEmpty());
}

TEST(DependencyErrors, EveryProblemIsReportedInFileOrder) {
    EXPECT_THAT(errors_of(program("a", "depends_on = [\"nothing\", \"a\"]\n") +
                          program("b", "depends_on = { a = \"completed\", b = \"ready\" }\n")),
                ElementsAre("/etc/superv/superv.toml:3:15: program \"a\" depends on "
                            "\"nothing\", which is not a program or a group",
                            "/etc/superv/superv.toml:3:26: program \"a\" depends on itself",
                            "/etc/superv/superv.toml:6:16: condition \"completed\" on \"a\" never "
                            "holds: program \"a\" is not a oneshot (type = \"oneshot\"); use "
                            "\"ready\", \"running\" or \"started\"",
                            "/etc/superv/superv.toml:6:33: program \"b\" depends on itself"));
}

TEST(DependencyErrors, TargetsMayBeInAnotherFileAndErrorsNameTheirFile) {
    test_support::TempFiles files;
    const std::string main =
        files.write("superv.toml",
                    "include = [\"conf.d/*.toml\"]\n" + program("web", "depends_on = [\"db\"]\n"));
    files.write("conf.d/db.toml", program("db"));
    EXPECT_THAT(test_support::file_errors(main, false), IsEmpty());

    files.write("conf.d/db.toml", program("db", "depends_on = [\"web\", \"cache\"]\n"));
    EXPECT_THAT(
        test_support::file_errors(main, false),
        ElementsAre(files.path("conf.d/db.toml") + ":3:15: dependency cycle: web -> db -> web",
                    files.path("conf.d/db.toml") +
                        ":3:22: program \"db\" depends on \"cache\", which is not a "
                        "program or a group"));
}

}  // namespace
}  // namespace superv::config

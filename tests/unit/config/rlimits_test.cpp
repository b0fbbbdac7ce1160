// `rlimits`: names, values, soft/hard pairs, and what superv may grant.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/resource.h>

#include "load_helpers.hpp"

namespace superv::config {
namespace {

using test_support::errors_of;
using test_support::program_from;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::uint64_t kUnlimited = ResourceLimit::kUnlimited;
const std::string kHead = "[programs.web]\ncommand = \"/bin/web\"\n";

// A root superv without CAP_SYS_RESOURCE (as in many containers), whose own
// hard nofile limit is 1024 and whose kernel allows 1048576 open files.
detail::Identity without_sys_resource() {
    detail::Privileges privileges{.capabilities = 0, .nr_open = 1048576};
    privileges.hard_limits[RLIMIT_NOFILE] = 1024;
    return detail::Identity{0, 0, privileges};
}

TEST(Rlimits, NoneByDefault) {
    EXPECT_THAT(program_from("").rlimits, IsEmpty());
}

TEST(Rlimits, ASingleValueSetsSoftAndHard) {
    ProgramConfig p = program_from(
        "rlimits = { nofile = 4096, core = 0, memlock = \"64MB\", as = \"unlimited\", "
        "stack = 8388608, cpu = \"infinity\" }\n");
    EXPECT_THAT(p.rlimits, ElementsAre(ResourceLimit{RLIMIT_AS, kUnlimited, kUnlimited},
                                       ResourceLimit{RLIMIT_CORE, 0, 0},
                                       ResourceLimit{RLIMIT_CPU, kUnlimited, kUnlimited},
                                       ResourceLimit{RLIMIT_MEMLOCK, 64u << 20, 64u << 20},
                                       ResourceLimit{RLIMIT_NOFILE, 4096, 4096},
                                       ResourceLimit{RLIMIT_STACK, 8388608, 8388608}));
}

TEST(Rlimits, ATableSetsSoftAndHardApart) {
    ProgramConfig p = program_from(
        "rlimits = { nproc = { soft = 100, hard = 200 }, core = { soft = 0, hard = "
        "\"unlimited\" } }\n");
    EXPECT_THAT(p.rlimits, ElementsAre(ResourceLimit{RLIMIT_CORE, 0, kUnlimited},
                                       ResourceLimit{RLIMIT_NPROC, 100, 200}));
}

TEST(Rlimits, UnknownNameIsAnErrorWithASuggestion) {
    EXPECT_THAT(errors_of(kHead + "rlimits = { nofiles = 10, core = 0, RLIMIT_CPU = 1 }\n"),
                ElementsAre("/etc/superv/superv.toml:3:13: unknown resource limit \"nofiles\" in "
                            "\"rlimits\" (did you mean \"nofile\"?)",
                            "/etc/superv/superv.toml:3:37: unknown resource limit \"RLIMIT_CPU\" "
                            "in \"rlimits\""));
}

TEST(Rlimits, BadValuesAreErrorsAtTheValue) {
    EXPECT_THAT(
        errors_of(kHead +
                  "rlimits = { nofile = \"64MB\", nproc = -1, memlock = \"lots\", cpu = 1.5 }\n"),
        ElementsAre("/etc/superv/superv.toml:3:22: \"rlimits.nofile\" must be a number or "
                    "\"unlimited\", not \"64MB\"",
                    "/etc/superv/superv.toml:3:38: \"rlimits.nproc\" must not be negative",
                    "/etc/superv/superv.toml:3:52: \"rlimits.memlock\" must be a size like "
                    "1048576, \"50MB\" or \"1GB\", not \"lots\"",
                    "/etc/superv/superv.toml:3:66: \"rlimits.cpu\" must be a number or "
                    "\"unlimited\", not a float"));
}

TEST(Rlimits, MustBeATable) {
    EXPECT_THAT(errors_of(kHead + "rlimits = 5\n"),
                ElementsAre("/etc/superv/superv.toml:3:11: \"rlimits\" must be a table like { "
                            "nofile = 65536, core = 0 }, not an integer"));
}

TEST(Rlimits, SoftAndHardPairIsChecked) {
    EXPECT_THAT(
        errors_of(kHead + "[programs.web.rlimits]\nnofile = { soft = 10 }\n"
                          "nproc = { soft = 20, hard = 10 }\ncore = { soft = 0, max = 0 }\n"),
        ElementsAre("/etc/superv/superv.toml:4:10: \"rlimits.nofile\" needs both \"soft\" and "
                    "\"hard\"",
                    "/etc/superv/superv.toml:5:9: \"rlimits.nproc\": soft limit 20 is above hard "
                    "limit 10",
                    "/etc/superv/superv.toml:6:20: unknown key \"max\" in \"rlimits.core\""));
}

TEST(Rlimits, RaisingAboveSupervsOwnHardLimitNeedsSysResource) {
    EXPECT_THAT(errors_of(kHead + "rlimits = { nofile = 4096 }\n", without_sys_resource()),
                ElementsAre("/etc/superv/superv.toml:3:22: \"rlimits.nofile\": hard limit 4096 "
                            "is above superv's own (1024) and superv lacks CAP_SYS_RESOURCE to "
                            "raise it"));
    // Lowering, or a soft limit up to the hard one, is always allowed.
    EXPECT_THAT(errors_of(kHead + "rlimits = { nofile = 512, core = { soft = 0, hard = "
                                  "\"unlimited\" } }\n",
                          without_sys_resource()),
                IsEmpty());
    detail::Identity with = without_sys_resource();
    with.privileges.capabilities = std::uint64_t{1} << CAP_SYS_RESOURCE;
    EXPECT_THAT(errors_of(kHead + "rlimits = { nofile = 4096 }\n", with), IsEmpty());
}

TEST(Rlimits, NofileCannotExceedTheKernelsCap) {
    detail::Identity root_with_nr_open{0, 0, detail::Privileges{.nr_open = 1048576}};
    EXPECT_THAT(
        errors_of(kHead + "rlimits = { nofile = 2000000 }\n[programs.b]\ncommand = \"/bin/b\"\n"
                          "rlimits = { nofile = \"unlimited\" }\n",
                  root_with_nr_open),
        ElementsAre("/etc/superv/superv.toml:3:22: \"rlimits.nofile\" = 2000000 is above "
                    "fs.nr_open (1048576), the kernel's cap on open files",
                    "/etc/superv/superv.toml:6:22: \"rlimits.nofile\" = unlimited is above "
                    "fs.nr_open (1048576), the kernel's cap on open files"));
}

}  // namespace
}  // namespace superv::config

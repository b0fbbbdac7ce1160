// A config written by to_toml() and loaded again must be the config it was
// written from: the same daemon, groups, programs and processes.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "load_helpers.hpp"
#include "superv/config/processes.hpp"
#include "superv/config/toml_writer.hpp"

namespace superv::config::test_support {

inline DaemonConfig unpositioned(DaemonConfig daemon) {
    for (HttpListener& listener : daemon.http)
        listener.pos = {};
    return daemon;
}

inline std::vector<GroupConfig> unpositioned(std::vector<GroupConfig> groups) {
    for (GroupConfig& group : groups)
        group.pos = {};
    return groups;
}

// What the daemon runs: every process's name, group, priority and options.
inline void expect_same_processes(const Config& a, const Config& b, const std::string& text) {
    const auto left = expand_processes(a), right = expand_processes(b);
    ASSERT_EQ(left.size(), right.size()) << text;
    for (std::size_t i = 0; i < left.size(); ++i) {
        EXPECT_EQ(left[i].full_name(), right[i].full_name()) << text;
        EXPECT_EQ(left[i].priority, right[i].priority) << left[i].name;
        // The program's own name and numprocs change when programs fold.
        ProgramConfig program = *right[i].program;
        program.name = left[i].program->name;
        program.numprocs = left[i].program->numprocs;
        EXPECT_TRUE(left[i].program->same_options(program)) << left[i].name << "\n" << text;
    }
}

// Loads `toml`, writes it back, loads that; both must be the same config.
inline Config expect_round_trip(const std::string& toml) {
    const Config first = load_ok(toml);
    const std::string text = to_toml(first);
    const Config second = load_ok(text);
    EXPECT_EQ(unpositioned(first.daemon), unpositioned(second.daemon)) << text;
    EXPECT_EQ(unpositioned(first.groups), unpositioned(second.groups)) << text;
    EXPECT_EQ(first.programs.size(), second.programs.size()) << text;
    for (std::size_t i = 0; i < first.programs.size() && i < second.programs.size(); ++i) {
        EXPECT_TRUE(first.programs[i].same_options(second.programs[i]))
            << first.programs[i].name << "\n"
            << text;
    }
    expect_same_processes(first, second, text);
    return second;
}

}  // namespace superv::config::test_support

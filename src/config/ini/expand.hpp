// supervisord's expansions: a value is a Python %-format string applied to a
// dict of names, so "%(program_name)s", "%(process_num)02d" and "%%" mean
// what they mean to Python. Which names exist depends on the option
// (supervisord offers process_num only in some); the caller says. Private to
// src/config.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "reader.hpp"

namespace superv::config::detail::ini {

// A name's value: text, or a number (process_num, numprocs).
using NameValue = std::variant<std::string, long long>;
using NameTable = std::map<std::string, NameValue, std::less<>>;

// The names one option may use: tables looked up newest first. Holds
// pointers, so the tables must outlive it.
class Names {
  public:
    Names& add(const NameTable& table) {
        tables_.push_back(&table);
        return *this;
    }
    const NameValue* find(std::string_view name) const;
    // Sorted, each once.
    std::vector<std::string> all() const;

  private:
    std::vector<const NameTable*> tables_;
};

// Python's `value.text % names`, where %(here)s is always the directory of
// the value's own file. `what` names the option in messages, e.g.
// "\"command\" of [program:web]". On a bad format or an unknown name: the
// error at the position of its "%", and nullopt.
std::optional<std::string> expand(const IniValue& value, const Names& names, std::string_view what,
                                  Diagnostics& errors);

// The ENV_X names for the variables of `environment` ("X=value" strings, as
// in environ).
NameTable environment_names(char** environment);

}  // namespace superv::config::detail::ini

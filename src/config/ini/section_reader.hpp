// What the readers of supervisord.conf's sections share: the parsed files,
// where errors and warnings go, the names every expansion may use, and a
// reader for one section that remembers which options it looked at, so that
// the others can be reported as unknown. Private to src/config.
#pragma once

#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "../load_context.hpp"
#include "expand.hpp"
#include "reader.hpp"

namespace superv::config::detail::ini {

struct IniContext {
    IniContext(const IniParser& parser, const Identity& identity, Diagnostics& errors,
               Diagnostics& warnings)
        : parser(parser), identity(identity), errors(errors), warnings(warnings) {}

    const IniParser& parser;
    const Identity& identity;
    Diagnostics& errors;
    Diagnostics& warnings;
    NameTable environ;         // ENV_X of superv's own environment
    NameTable daemon_environ;  // ENV_X of [supervisord] environment
    std::string node_name;     // %(host_node_name)s
    // From [supervisord], for the AUTO log files.
    std::string identifier = "supervisor";
    std::string childlogdir;
    // The [DEFAULT] options some section read.
    std::set<std::string, std::less<>> defaults_used;

    // ENV_X from superv's environment only, as [include] and [supervisord]
    // see them.
    Names environ_names() const { return Names().add(environ); }
    // ENV_X with [supervisord] environment too, as every later section sees them.
    Names all_environ_names() const { return Names().add(environ).add(daemon_environ); }
};

// `path` when absolute or empty, else `path` below `dir` (joined, not
// normalised, as superv.toml's paths). supervisord takes relative paths from
// its working directory; superv from the directory of the file they are in,
// so that a config means the same wherever superv is started.
std::string resolve_in(const std::string& dir, const std::string& path);

class SectionReader {
  public:
    SectionReader(IniContext& ctx, const IniSection& section) : ctx_(ctx), section_(section) {}

    IniContext& ctx() const { return ctx_; }
    const IniSection& section() const { return section_; }
    std::string title() const { return "[" + section_.name + "]"; }

    // The option in the section, else in [DEFAULT]; null when in neither.
    // Either way the option counts as known.
    const IniOption* option(std::string_view key);

    // How messages name the option: "\"command\"", or with "(from
    // [DEFAULT], for [program:x])" when it came from there.
    std::string what(const IniOption& option) const;

    // The option's value expanded with `names`; nullopt when absent or
    // after an expansion error.
    std::optional<std::string> text(std::string_view key, const Names& names);
    std::optional<std::string> expanded(const IniOption& option, const Names& names);

    // The option's value read with `parse` (which returns nullopt for a bad
    // value); `fallback` when absent or bad, after an error "KEY must be
    // EXPECTED, not VALUE".
    template <class T, class Parse>
    T value(std::string_view key, const Names& names, T fallback, Parse parse,
            std::string_view expected) {
        const IniOption* found = option(key);
        if (!found) return fallback;
        return value_of(*found, names, fallback, parse, expected);
    }
    template <class T, class Parse>
    T value_of(const IniOption& found, const Names& names, T fallback, Parse parse,
               std::string_view expected) {
        auto text = expanded(found, names);
        if (!text) return fallback;
        if (auto parsed = parse(*text)) return static_cast<T>(*parsed);
        error(found, what(found) + " must be " + std::string(expected) + ", not " + quote(*text));
        return fallback;
    }
    // py_int within [min, max].
    long long integer(std::string_view key, const Names& names, long long fallback, long long min,
                      long long max);
    bool boolean(std::string_view key, const Names& names, bool fallback);

    void error(const IniOption& option, std::string message) const;
    void warn(const IniOption& option, std::string message) const;

    // A warning for each option of the section that was never looked at:
    // supervisord ignores them, superv says so.
    void warn_unknown(std::span<const std::string_view> known) const;
    // The same as errors, for superv's own [superv] section.
    void refuse_unknown(std::span<const std::string_view> known) const;

  private:
    void report_unknown(std::span<const std::string_view> known, Diagnostics& where,
                        std::string_view consequence) const;

    IniContext& ctx_;
    const IniSection& section_;
    std::set<std::string, std::less<>> looked_at_;
};

}  // namespace superv::config::detail::ini

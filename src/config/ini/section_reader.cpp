#include "section_reader.hpp"

#include <vector>

#include "py_values.hpp"

namespace superv::config::detail::ini {

std::string resolve_in(const std::string& dir, const std::string& path) {
    if (path.empty() || path.front() == '/') return path;
    return dir + "/" + path;
}

const IniOption* SectionReader::option(std::string_view key) {
    looked_at_.emplace(key);
    const IniOption* found = ctx_.parser.get(section_, key);
    if (found && section_.find(key) != found) ctx_.defaults_used.emplace(key);
    return found;
}

std::string SectionReader::what(const IniOption& option) const {
    std::string name = quote(option.name);
    if (section_.find(option.name) == &option) return name;
    return name + " (from [DEFAULT], for " + title() + ")";
}

std::optional<std::string> SectionReader::text(std::string_view key, const Names& names) {
    const IniOption* found = option(key);
    if (!found) return std::nullopt;
    return expanded(*found, names);
}

std::optional<std::string> SectionReader::expanded(const IniOption& option, const Names& names) {
    return expand(option.value, names, what(option) + " of " + title(), ctx_.errors);
}

long long SectionReader::integer(std::string_view key, const Names& names, long long fallback,
                                 long long min, long long max) {
    const IniOption* found = option(key);
    if (!found) return fallback;
    auto text = expanded(*found, names);
    if (!text) return fallback;
    auto number = py_int(*text);
    if (!number) {
        error(*found, what(*found) + " must be an integer, not " + quote(*text));
        return fallback;
    }
    if (*number < min || *number > max) {
        error(*found, what(*found) + " must be between " + std::to_string(min) + " and " +
                          std::to_string(max) + ", not " + std::to_string(*number));
        return fallback;
    }
    return *number;
}

bool SectionReader::boolean(std::string_view key, const Names& names, bool fallback) {
    return value(key, names, fallback, py_boolean, "true or false (or yes/no, on/off, 1/0)");
}

void SectionReader::error(const IniOption& option, std::string message) const {
    ctx_.errors.error(option.value.pos(), std::move(message));
}

void SectionReader::warn(const IniOption& option, std::string message) const {
    ctx_.warnings.error(option.name_pos, std::move(message));
}

void SectionReader::report_unknown(std::span<const std::string_view> known, Diagnostics& where,
                                   std::string_view consequence) const {
    for (const IniOption& option : section_.options) {
        if (looked_at_.count(option.name)) continue;
        where.error(option.name_pos, "unknown option " + quote(option.name) + " in " + title() +
                                         did_you_mean(option.name, known) +
                                         std::string(consequence));
    }
}

void SectionReader::warn_unknown(std::span<const std::string_view> known) const {
    report_unknown(known, ctx_.warnings, "; ignored, as supervisord ignores it");
}

void SectionReader::refuse_unknown(std::span<const std::string_view> known) const {
    report_unknown(known, ctx_.errors, "");
}

}  // namespace superv::config::detail::ini

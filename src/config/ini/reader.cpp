#include "reader.hpp"

#include <algorithm>
#include <map>

#include "py_values.hpp"

namespace superv::config::detail::ini {
namespace {

constexpr std::size_t kNone = std::string_view::npos;

std::string_view py_rstrip(std::string_view text) {
    while (!text.empty() && is_py_space(text.back()))
        text.remove_suffix(1);
    return text;
}

std::size_t first_non_space(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!is_py_space(text[i])) return i;
    }
    return text.size();
}

// Where a comment starts in `line`, or kNone, exactly as configparser finds
// it: each prefix's occurrences are searched in rounds, and the first round
// that finds one at the line start or after whitespace decides, even when
// the other prefix had a valid one earlier in the line.
std::size_t comment_start(std::string_view line) {
    struct Search {
        char prefix;
        std::size_t from;
    };
    std::vector<Search> active{{';', 0}, {'#', 0}};
    std::size_t start = kNone;
    while (start == kNone && !active.empty()) {
        std::vector<Search> next;
        for (const Search& search : active) {
            std::size_t index = line.find(search.prefix, search.from);
            if (index == kNone) continue;
            next.push_back({search.prefix, index + 1});
            if (index == 0 || is_py_space(line[index - 1])) start = std::min(start, index);
        }
        active = std::move(next);
    }
    std::string_view stripped = py_strip(line);
    if (!stripped.empty() && (stripped.front() == '#' || stripped.front() == ';')) start = 0;
    return start;
}

// The lines of `text`, split at "\n", "\r\n" and "\r" as Python's universal
// newlines read a file.
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t begin = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\n' && text[i] != '\r') continue;
        lines.push_back(text.substr(begin, i - begin));
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        begin = i + 1;
    }
    if (begin < text.size()) lines.push_back(text.substr(begin));
    return lines;
}

// One line of a value while its file is read; joined when the file ends.
struct ValueLine {
    std::string text;
    SourcePos pos;
};

IniValue join(const std::vector<ValueLine>& lines, const std::string& here) {
    IniValue value;
    value.here = here;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) value.text += '\n';
        if (i == 0 || !lines[i].text.empty()) {
            value.pieces.push_back({value.text.size(), lines[i].pos});
        }
        value.text += lines[i].text;
    }
    value.text.resize(py_rstrip(value.text).size());
    while (value.pieces.size() > 1 && value.pieces.back().offset >= value.text.size())
        value.pieces.pop_back();
    return value;
}

}  // namespace

SourcePos IniValue::at(std::size_t offset) const {
    const Piece* piece = &pieces.front();
    for (const Piece& p : pieces) {
        if (p.offset <= offset) piece = &p;
    }
    SourcePos pos = piece->pos;
    pos.column += static_cast<int>(offset - piece->offset);
    return pos;
}

const IniOption* IniSection::find(std::string_view name) const {
    for (const IniOption& option : options) {
        if (option.name == name) return &option;
    }
    return nullptr;
}

IniParser::IniParser() {
    defaults_.name = "DEFAULT";
}

const IniSection* IniParser::find(std::string_view name) const {
    for (const IniSection& section : sections_) {
        if (section.name == name) return &section;
    }
    return nullptr;
}

const IniOption* IniParser::get(const IniSection& section, std::string_view name) const {
    if (const IniOption* option = section.find(name)) return option;
    return defaults_.find(name);
}

IniSection& IniParser::open_section(const std::string& name, const SourcePos& pos,
                                    Diagnostics& warnings) {
    IniSection* section = name == "DEFAULT" ? &defaults_ : nullptr;
    for (IniSection& existing : sections_) {
        if (existing.name == name) section = &existing;
    }
    if (section && section->pos.line != 0) {
        warnings.error(pos, "[" + name + "] is already at " + section->pos.to_string() +
                                "; the two are merged into one section, later keys winning "
                                "(as supervisord does)");
        return *section;
    }
    if (section) {
        section->pos = pos;
        return *section;
    }
    sections_.push_back(IniSection{name, pos, {}});
    return sections_.back();
}

std::vector<std::pair<std::string, SourcePos>> IniParser::read(std::string_view text,
                                                               const std::string& file,
                                                               const std::string& here,
                                                               Diagnostics& errors,
                                                               Diagnostics& warnings) {
    std::vector<std::pair<std::string, SourcePos>> headers;
    // configparser keeps each option's lines in a list and joins them when
    // the file ends; so does this, keyed by section and option.
    std::map<std::pair<IniSection*, std::size_t>, std::vector<ValueLine>> lines_of;
    IniSection* section = nullptr;
    std::size_t option = kNone;  // the option a continuation line extends (its index)
    std::size_t indent_level = 0;
    bool reported_headless = false;

    std::vector<std::string_view> lines = split_lines(text);
    for (std::size_t number = 1; number <= lines.size(); ++number) {
        std::string_view line = lines[number - 1];
        const std::size_t comment = comment_start(line);
        std::string_view value = py_strip(line.substr(0, comment));
        if (value.empty()) {
            // A blank line inside a value is part of it; a comment line is not.
            if (comment == kNone && section && option != kNone) {
                lines_of[{section, option}].push_back({"", {}});
            }
            continue;
        }
        const std::size_t indent = first_non_space(line);
        auto pos_at = [&](std::size_t column) {
            return SourcePos{file, static_cast<int>(number), static_cast<int>(column) + 1};
        };
        if (section && option != kNone && indent > indent_level) {
            lines_of[{section, option}].push_back({std::string(value), pos_at(indent)});
            continue;
        }
        indent_level = indent;
        const std::size_t close = value.rfind(']');
        if (value.front() == '[' && close != kNone && close >= 2) {
            headers.emplace_back(value.substr(1, close - 1), pos_at(indent));
            section = &open_section(headers.back().first, pos_at(indent), warnings);
            option = kNone;
            continue;
        }
        if (!section) {
            // Python gives up on the file here (MissingSectionHeaderError).
            if (!reported_headless) {
                errors.error(pos_at(indent), quote(value) +
                                                 " is outside any section: a supervisord "
                                                 "config must start with a [section] header");
            }
            reported_headless = true;
            continue;
        }
        const std::size_t delimiter = value.find_first_of("=:");
        if (delimiter == kNone) {
            errors.error(pos_at(indent), "cannot parse " + quote(value) +
                                             ": not a [section] header, a \"key = value\" "
                                             "option or a comment");
            continue;
        }
        const std::string name = py_lower(py_rstrip(value.substr(0, delimiter)));
        if (name.empty()) {
            errors.error(pos_at(indent), "option " + quote(value) + " has no name");
            option = kNone;
            continue;
        }
        std::string_view rest = value.substr(delimiter + 1);
        const std::size_t value_column = indent + delimiter + 1 + first_non_space(rest);
        ValueLine first{std::string(py_strip(rest)), pos_at(value_column)};

        auto existing = std::find_if(section->options.begin(), section->options.end(),
                                     [&](const IniOption& o) { return o.name == name; });
        if (existing != section->options.end()) {
            warnings.error(pos_at(indent), quote(name) + " is already set in [" + section->name +
                                               "] at " + existing->name_pos.to_string() +
                                               "; the last value wins (as in supervisord)");
            existing->name_pos = pos_at(indent);
            option = static_cast<std::size_t>(existing - section->options.begin());
        } else {
            section->options.push_back(IniOption{name, pos_at(indent), {}});
            option = section->options.size() - 1;
        }
        lines_of[{section, option}] = {std::move(first)};
    }
    for (auto& [where, value_lines] : lines_of) {
        where.first->options[where.second].value = join(value_lines, here);
    }
    return headers;
}

}  // namespace superv::config::detail::ini

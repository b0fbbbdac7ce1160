// supervisord.conf's syntax: Python 3's configparser.RawConfigParser as
// supervisord configures it (UnhosedConfigParser), with the position of every
// key and value kept for messages. Private to src/config.
//
// The quirks that decide what a file means, all as Python's:
// - `key = value` and `key: value`; the key ends at the first `=` or `:`, is
//   stripped and lowercased; the value is stripped.
// - `;` and `#` start a comment at the start of a line or after whitespace
//   (`a;b` is a value, `a ;b` is `a`).
// - A line indented deeper than its key's line continues the value (joined
//   with "\n"); blank lines inside a value are kept, trailing ones dropped;
//   comment lines inside a value are skipped.
// - strict=False: a section or key given twice is merged, the last value wins
//   (the reader warns about both); this spans files, as [include] reads into
//   the same parser.
// - [DEFAULT] holds defaults for every other section.
// - Section names are taken as written between the first `[` and the last
//   `]`, spaces included: `[ program:x ]` is not a program section.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../diagnostics.hpp"

namespace superv::config::detail::ini {

// A value as RawConfigParser returns it, with the positions of its pieces:
// a continued value's lines come from different places in the file.
struct IniValue {
    struct Piece {
        std::size_t offset;  // into text
        SourcePos pos;       // where text[offset] is in the file
    };
    std::string text;
    std::vector<Piece> pieces;  // by offset; the first at offset 0
    std::string here;           // the absolute directory of its file: %(here)s

    SourcePos pos() const { return pieces.front().pos; }
    // The position of text[offset].
    SourcePos at(std::size_t offset) const;
};

struct IniOption {
    std::string name;  // lowercased
    SourcePos name_pos;
    IniValue value;
};

struct IniSection {
    std::string name;
    SourcePos pos;                   // of its first header
    std::vector<IniOption> options;  // in the order first given; the last value wins

    const IniOption* find(std::string_view name) const;
};

// The sections of every file read so far, as one RawConfigParser holds them.
class IniParser {
  public:
    IniParser();

    // Adds `text` (the file `file`, in directory `here`) to the sections read
    // so far. Lines that are neither a header, an option, a continuation nor
    // a comment are errors; duplicates are warnings. Returns the names of the
    // headers in the file, each with its position.
    std::vector<std::pair<std::string, SourcePos>> read(std::string_view text,
                                                        const std::string& file,
                                                        const std::string& here,
                                                        Diagnostics& errors, Diagnostics& warnings);

    // In the order first seen; [DEFAULT] is not one of them.
    const std::deque<IniSection>& sections() const { return sections_; }
    const IniSection* find(std::string_view name) const;
    const IniSection& defaults() const { return defaults_; }

    // `name` in `section`, else in [DEFAULT]; null when in neither.
    const IniOption* get(const IniSection& section, std::string_view name) const;

  private:
    IniSection& open_section(const std::string& name, const SourcePos& pos, Diagnostics& warnings);

    std::deque<IniSection> sections_;  // a deque: read() holds pointers into it
    IniSection defaults_;
};

}  // namespace superv::config::detail::ini

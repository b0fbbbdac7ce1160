// ready = { log = "REGEX" }: a line of the program's captured output that
// matches (std::regex_search: anywhere in the line) makes it ready. Output
// arrives in chunks that split lines anywhere, so lines are assembled here,
// one matcher per captured stream (stdout and stderr lines never mix).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "superv/config/compiled_regex.hpp"

namespace superv::core::readiness {

class LogLineMatcher {
  public:
    // Bounded memory: a longer line is matched on its first kMaxLine bytes,
    // and the rest of it is skipped.
    static constexpr std::size_t kMaxLine = 4096;

    // `regex`: Readiness::compiled, never null.
    explicit LogLineMatcher(std::shared_ptr<const config::CompiledRegex> regex,
                            std::size_t max_line = kMaxLine);

    // Feeds a chunk of output. True once a line has matched; after that it
    // looks at nothing more.
    bool feed(std::span<const std::byte> chunk);
    // The stream ended: a last line without its newline is matched too.
    bool finish();
    bool matched() const { return matched_; }

  private:
    void match_line();

    std::shared_ptr<const config::CompiledRegex> regex_;
    std::size_t max_line_;
    std::string line_;
    bool skipping_ = false;  // the rest of a line that was already matched on its first part
    bool matched_ = false;
};

}  // namespace superv::core::readiness

#include "superv/config/shell_words.hpp"

namespace superv::config {
namespace {

enum class Dialect { PosixShell, PythonShlex };

class Splitter {
  public:
    Splitter(std::string_view text, Dialect dialect) : text_(text), dialect_(dialect) {}

    std::vector<std::string> run(std::optional<ShellWordsError>* error) {
        while (i_ < text_.size() && !failed_)
            step();
        if (failed_) {
            if (error) *error = error_;
            return {};
        }
        finish_word();
        if (error) error->reset();
        return std::move(words_);
    }

  private:
    bool is_blank(char c) const {
        return c == ' ' || c == '\t' || c == '\n' ||
               (c == '\r' && dialect_ == Dialect::PythonShlex);
    }

    // Inside double quotes POSIX keeps a backslash literally unless it
    // precedes one of these; "\n" after a backslash is a line continuation.
    // shlex escapes only the quote and the backslash.
    bool escapable_in_double_quotes(char c) const {
        if (dialect_ == Dialect::PythonShlex) return c == '"' || c == '\\';
        return c == '$' || c == '`' || c == '"' || c == '\\' || c == '\n';
    }

    void step() {
        char c = text_[i_];
        if (is_blank(c)) {
            finish_word();
            ++i_;
        } else if (c == '\'') {
            single_quoted();
        } else if (c == '"') {
            double_quoted();
        } else if (c == '\\') {
            backslash();
        } else {
            append(c);
            ++i_;
        }
    }

    void single_quoted() {
        std::size_t open = i_++;
        in_word_ = true;  // '' is an empty word, not nothing
        while (i_ < text_.size() && text_[i_] != '\'')
            append(text_[i_++]);
        if (i_ == text_.size()) return fail(open, "unterminated single quote");
        ++i_;
    }

    void double_quoted() {
        std::size_t open = i_++;
        in_word_ = true;
        while (i_ < text_.size() && text_[i_] != '"') {
            char c = text_[i_];
            if (c == '\\' && i_ + 1 < text_.size() && escapable_in_double_quotes(text_[i_ + 1])) {
                if (text_[i_ + 1] != '\n') append(text_[i_ + 1]);
                i_ += 2;
            } else {
                append(c);
                ++i_;
            }
        }
        if (i_ == text_.size()) return fail(open, "unterminated double quote");
        ++i_;
    }

    void backslash() {
        if (i_ + 1 == text_.size()) return fail(i_, "backslash at end of command");
        char next = text_[i_ + 1];
        // backslash-newline joins lines in a shell; shlex keeps the newline
        if (next != '\n' || dialect_ == Dialect::PythonShlex) append(next);
        i_ += 2;
    }

    void append(char c) {
        current_.push_back(c);
        in_word_ = true;
    }

    void finish_word() {
        if (!in_word_) return;
        words_.push_back(std::move(current_));
        current_.clear();
        in_word_ = false;
    }

    void fail(std::size_t offset, const char* message) {
        failed_ = true;
        error_ = ShellWordsError{offset, message};
    }

    std::string_view text_;
    Dialect dialect_;
    std::size_t i_ = 0;
    std::vector<std::string> words_;
    std::string current_;
    bool in_word_ = false;
    bool failed_ = false;
    ShellWordsError error_{};
};

}  // namespace

std::vector<std::string> split_shell_words(std::string_view text,
                                           std::optional<ShellWordsError>* error) {
    return Splitter(text, Dialect::PosixShell).run(error);
}

std::vector<std::string> split_like_shlex(std::string_view text,
                                          std::optional<ShellWordsError>* error) {
    return Splitter(text, Dialect::PythonShlex).run(error);
}

}  // namespace superv::config

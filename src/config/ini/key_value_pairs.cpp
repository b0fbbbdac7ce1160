// dict_of_key_value_pairs as supervisord 4.2.5 has it: tokens from Python's
// shlex.shlex(text) in its non-POSIX mode with "/.+-():" added to the word
// characters, then KEY = VALUE triples with one token of any kind between
// them. Its quirks are kept on purpose, since supervisord gives a program
// exactly this environment: quotes stay in a token and are stripped from the
// value's ends only; "#" skips to the end of the line but continues the word
// it is in; a non-ASCII character is a token of its own.
#include <optional>
#include <string>
#include <vector>

#include "py_values.hpp"

namespace superv::config::detail::ini {
namespace {

bool is_word_char(std::string_view c) {
    if (c.size() != 1) return false;  // non-ASCII: shlex's ASCII word characters only
    char x = c.front();
    return (x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z') || (x >= '0' && x <= '9') || x == '_' ||
           std::string_view("/.+-():").find(x) != std::string_view::npos;
}

bool is_one(std::string_view c, std::string_view set) {
    return c.size() == 1 && set.find(c.front()) != std::string_view::npos;
}

class Lexer {
  public:
    explicit Lexer(std::string_view text) : text_(text) {}

    // The next token; nullopt at the end; `error` set for an open quote.
    std::optional<std::string> next(std::string& error) {
        if (state_ == State::End) return std::nullopt;
        std::string token;
        char quote = 0;
        state_ = State::Space;
        for (;;) {
            std::string_view c = read_char();
            if (state_ == State::Space) {
                if (c.empty()) {
                    state_ = State::End;
                    return std::nullopt;
                }
                if (is_one(c, " \t\r\n")) continue;
                if (c == "#") {
                    skip_line();
                } else if (is_word_char(c)) {
                    token = c;
                    state_ = State::Word;
                } else if (is_one(c, "'\"")) {
                    token = c;
                    quote = c.front();
                    state_ = State::Quoted;
                } else {
                    return std::string(c);
                }
            } else if (state_ == State::Quoted) {
                if (c.empty()) {
                    error = "no closing quotation";
                    state_ = State::End;
                    return std::nullopt;
                }
                token += c;
                if (c.front() == quote && c.size() == 1) return token;
            } else {  // State::Word
                if (c.empty()) {
                    state_ = State::End;
                    return token;
                }
                if (is_one(c, " \t\r\n")) return token;
                if (c == "#") {
                    skip_line();
                } else if (is_word_char(c) || is_one(c, "'\"")) {
                    token += c;
                } else {
                    i_ -= c.size();  // shlex pushes it back: the next token
                    return token;
                }
            }
        }
    }

  private:
    enum class State { Space, Word, Quoted, End };

    // One character: a UTF-8 sequence counts as one, as Python reads text.
    std::string_view read_char() {
        if (i_ >= text_.size()) return {};
        std::size_t length = 1;
        while (i_ + length < text_.size() &&
               (static_cast<unsigned char>(text_[i_ + length]) & 0xC0) == 0x80 &&
               static_cast<unsigned char>(text_[i_]) >= 0xC0) {
            ++length;
        }
        std::string_view c = text_.substr(i_, length);
        i_ += length;
        return c;
    }

    void skip_line() {
        std::size_t newline = text_.find('\n', i_);
        i_ = newline == std::string_view::npos ? text_.size() : newline + 1;
    }

    std::string_view text_;
    std::size_t i_ = 0;
    State state_ = State::Space;
};

std::string strip_quotes(const std::string& text) {
    std::size_t begin = text.find_first_not_of("'\"");
    if (begin == std::string::npos) return "";
    std::size_t end = text.find_last_not_of("'\"");
    return text.substr(begin, end - begin + 1);
}

}  // namespace

std::optional<std::map<std::string, std::string>> key_value_pairs(std::string_view text,
                                                                  std::string& why) {
    Lexer lexer(text);
    std::vector<std::string> tokens;
    while (auto token = lexer.next(why))
        tokens.push_back(std::move(*token));
    if (!why.empty()) return std::nullopt;

    std::map<std::string, std::string> pairs;
    for (std::size_t i = 0; i < tokens.size(); i += 4) {
        if (i + 2 >= tokens.size() || tokens[i + 1] != "=") {
            std::string rest;
            for (std::size_t j = i; j < tokens.size() && j < i + 3; ++j)
                rest += tokens[j];
            why = "cannot read \"" + rest +
                  "\" as KEY=VALUE (pairs are separated by commas; quote a value with spaces "
                  "or punctuation in it)";
            return std::nullopt;
        }
        pairs[tokens[i]] = strip_quotes(tokens[i + 2]);
    }
    return pairs;
}

}  // namespace superv::config::detail::ini

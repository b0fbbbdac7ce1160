// Values only a [programs.NAME] table has: command, autorestart, exitcodes,
// log targets, the environment, stdin, serverurl and type.
#include "superv/config/shell_words.hpp"
#include "values.hpp"

namespace superv::config::detail {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::optional<std::vector<std::string>> command_from_array(const Field& field,
                                                           const toml::array& array) {
    std::vector<std::string> argv;
    bool ok = true;
    for (const toml::node& word : array) {
        if (auto text = word.value_exact<std::string>()) {
            ok = check_no_nul(field, word, *text) && ok;
            argv.push_back(*text);
            continue;
        }
        field.ctx.diag.error(word.source(), "every word of " + quote(field.key) +
                                                " must be a string, not " + type_phrase(word));
        ok = false;
    }
    if (!ok) return std::nullopt;
    if (argv.empty()) {
        field.error(quote(field.key) + " must not be empty");
        return std::nullopt;
    }
    if (argv[0].empty()) {
        field.error("the program path (first word of " + quote(field.key) + ") must not be empty");
        return std::nullopt;
    }
    return argv;
}

std::optional<std::vector<std::string>> command_from_string(const Field& field,
                                                            const std::string& text) {
    if (!check_no_nul(field, field.node, text)) return std::nullopt;
    std::optional<ShellWordsError> error;
    std::vector<std::string> argv = split_shell_words(text, &error);
    if (error) {
        field.error(error->message + " in " + quote(field.key) + " (at character " +
                    std::to_string(error->offset + 1) + ")");
        return std::nullopt;
    }
    if (argv.empty()) {
        field.error(quote(field.key) + " must not be empty");
        return std::nullopt;
    }
    if (argv[0].empty()) {
        field.error("the program path (first word of " + quote(field.key) + ") must not be empty");
        return std::nullopt;
    }
    return argv;
}

}  // namespace

std::optional<std::vector<std::string>> read_command(const Field& field) {
    if (const auto* array = field.node.as_array()) return command_from_array(field, *array);
    if (auto text = field.node.value_exact<std::string>()) return command_from_string(field, *text);
    field.wrong_type("an array of strings or a string");
    return std::nullopt;
}

std::optional<AutoRestart> read_autorestart(const Field& field) {
    // Booleans, "true"/"false" and "unexpected" are supervisord's spellings.
    if (auto flag = field.node.value_exact<bool>()) {
        return *flag ? AutoRestart::Always : AutoRestart::Never;
    }
    if (auto text = field.node.value_exact<std::string>()) {
        if (equal_ignoring_case(*text, "always") || equal_ignoring_case(*text, "true")) {
            return AutoRestart::Always;
        }
        if (equal_ignoring_case(*text, "on-failure") || equal_ignoring_case(*text, "unexpected")) {
            return AutoRestart::OnFailure;
        }
        if (equal_ignoring_case(*text, "never") || equal_ignoring_case(*text, "false")) {
            return AutoRestart::Never;
        }
        field.error(quote(field.key) + " must be \"always\", \"on-failure\" or \"never\", not " +
                    quote(*text));
        return std::nullopt;
    }
    field.wrong_type("\"always\", \"on-failure\" or \"never\"");
    return std::nullopt;
}

std::optional<std::vector<int>> read_exitcodes(const Field& field) {
    const auto* array = field.node.as_array();
    if (!array) {
        field.wrong_type("an array of exit codes like [0, 2]");
        return std::nullopt;
    }
    std::vector<int> codes;
    bool ok = true;
    for (const toml::node& element : *array) {
        auto code = element.value_exact<std::int64_t>();
        if (!code) {
            field.ctx.diag.error(element.source(), "every exit code in " + quote(field.key) +
                                                       " must be an integer, not " +
                                                       type_phrase(element));
            ok = false;
        } else if (*code < 0 || *code > 255) {
            field.ctx.diag.error(element.source(), "exit code " + std::to_string(*code) + " in " +
                                                       quote(field.key) + " is outside 0..255");
            ok = false;
        } else {
            codes.push_back(static_cast<int>(*code));
        }
    }
    if (!ok) return std::nullopt;
    return codes;
}

std::optional<LogTarget> read_log_target(const Field& field) {
    auto text = read_string(field);
    if (!text) return std::nullopt;
    // supervisord writes NONE in capitals; accept any case for the keywords.
    if (equal_ignoring_case(*text, "inherit")) return LogTarget{LogTarget::Kind::Inherit, ""};
    if (equal_ignoring_case(*text, "none")) return LogTarget{LogTarget::Kind::None, ""};
    return LogTarget{LogTarget::Kind::File, field.ctx.resolve(*text)};
}

std::optional<std::map<std::string, std::string>> read_environment(const Field& field) {
    const auto* table = field.node.as_table();
    if (!table) {
        field.wrong_type("a table of strings like { PORT = \"8080\" }");
        return std::nullopt;
    }
    std::map<std::string, std::string> environment;
    bool ok = true;
    for (auto&& [key, value] : *table) {
        std::string_view name = key.str();
        if (name.empty() || name.find_first_of(std::string_view("=\0", 2)) != name.npos) {
            field.ctx.diag.error(key.source(),
                                 "environment variable name " + quote(name) +
                                     " must be non-empty and contain no \"=\" or NUL");
            ok = false;
        } else if (auto text = value.value_exact<std::string>()) {
            ok = check_no_nul(field, value, *text) && ok;
            environment.emplace(std::string(name), *text);
        } else {
            field.ctx.diag.error(value.source(), "environment variable " + quote(name) +
                                                     " must be a string, not " +
                                                     type_phrase(value));
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    return environment;
}

std::optional<bool> read_stdin(const Field& field) {
    static constexpr std::string_view kKinds[] = {"null", "pipe"};
    auto text = read_string(field);
    if (!text) return std::nullopt;
    if (*text == "null") return false;
    if (*text == "pipe") return true;
    field.error(quote(field.key) + " must be \"null\" or \"pipe\", not " + quote(*text) +
                did_you_mean(*text, kKinds));
    return std::nullopt;
}

std::optional<std::string> read_serverurl(const Field& field) {
    auto url = read_string(field);
    if (!url) return std::nullopt;
    // supervisord's spelling of "derive it from the HTTP server".
    if (equal_ignoring_case(*url, "auto")) return std::string();
    return url;
}

std::optional<ProgramType> read_type(const Field& field) {
    // "simple" is systemd's name for a process that runs until stopped.
    static constexpr std::string_view kTypes[] = {"simple", "oneshot"};
    auto text = read_string(field);
    if (!text) return std::nullopt;
    if (*text == "simple") return ProgramType::Long;
    if (*text == "oneshot") return ProgramType::Oneshot;
    field.error(quote(field.key) + " must be \"simple\" or \"oneshot\", not " + quote(*text) +
                did_you_mean(*text, kTypes));
    return std::nullopt;
}

}  // namespace superv::config::detail

#pragma once
// The subcommands of nnscope-cli and the small argument parser they share. Each subcommand
// declares its arguments once, as a table of Option values in its cmd_<name>.cpp; the same table
// drives the parser (which items are options, which take a value, which are unknown) and the
// command's --help, so the help cannot drift from what the command accepts.

#include <functional>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::cli {

// A wrong or missing option: exit code 2 with the message.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One argument of a subcommand: a positional ("FILE"), an option with a value (--batch-size N)
// or a flag (--json). Make them with positional(), value() and flag().
struct Option {
    std::string_view name;        // "json" for --json; a positional's placeholder ("FILE")
    std::string_view placeholder; // an option's value ("N", "PATH"); "" for a flag
    std::string_view help;        // what it does, its choices and its default
    bool is_positional = false;
    bool required = false;  // shown without brackets in the usage line
    std::string_view alias; // a one-letter spelling, "o" for -o; "" for none
};

constexpr Option positional(std::string_view name, std::string_view help) {
    return {name, {}, help, true, true, {}};
}
constexpr Option value(std::string_view name, std::string_view placeholder, std::string_view help,
                       bool required = false) {
    return {name, placeholder, help, false, required, {}};
}
// The same option also spelled -ALIAS (export-pytorch's -o).
constexpr Option with_alias(Option option, std::string_view alias) {
    option.alias = alias;
    return option;
}
constexpr Option flag(std::string_view name, std::string_view help) {
    return {name, {}, help, false, false, {}};
}

class Args;

struct Command {
    std::string_view name;
    std::string_view summary;    // one line, listed by `nnscope-cli help`
    std::vector<Option> options; // positionals in their order, then options
    std::string_view details;    // paragraphs that --help prints after the options; may be ""
    std::function<int(Args)> run;
};

// Options as given, checked against the command's table: positionals in order, `--name value`,
// `--name=value` and `--flag` in any order. An option the table does not declare, a missing
// value and a flag given a value are usage errors named when the Args is made. Reading an option
// the table does not declare is a programming error (std::logic_error).
class Args {
public:
    Args(const Command& command, int argc, char** argv);
    // The next positional argument, or a UsageError naming `what`.
    std::string positional(std::string_view what);
    std::optional<std::string> option(std::string_view name);
    // Every value of a repeatable option, in the order given.
    std::vector<std::string> option_list(std::string_view name);
    std::string option_or(std::string_view name, std::string fallback);
    long long int_option_or(std::string_view name, long long fallback);
    double double_option_or(std::string_view name, double fallback);
    bool flag(std::string_view name);
    // Whether the option or flag was given at all (declared in the table, else std::logic_error).
    bool given(std::string_view name) const;
    // Throws a UsageError for a positional argument no one asked for.
    void finish();

private:
    const Option& declared(std::string_view name, bool with_value) const;

    const Command* command_;
    std::vector<std::string> positionals_;
    std::size_t next_positional_ = 0;
    std::vector<std::pair<std::string, std::optional<std::string>>> given_; // name, value
};

// True when the arguments ask for help: -h or --help anywhere.
bool wants_help(int argc, char** argv);

// The command's usage line, what it does and every argument explained, as --help prints it.
void print_help(std::ostream& out, const Command& command);

// The usage of nnscope-cli and every subcommand with its summary, as `nnscope-cli help` prints it.
void print_commands(std::ostream& out);

// Every subcommand, in the order `nnscope-cli help` lists them.
const std::vector<Command>& commands();

// The command with that name, or nullptr.
const Command* find_command(std::string_view name);

inline constexpr std::string_view version_text = "nnscope-cli 0.1.0";

} // namespace nnscope::cli

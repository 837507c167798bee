#pragma once
// The subcommands of nnscope-cli and the small argument parser they share.

#include <functional>
#include <optional>
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

// Options as given: positionals in order, `--name value` and `--flag`, in any order. A command
// claims its flags before its positionals: an item after an unclaimed "--x" counts as x's value,
// so claiming `--json` first is what lets `summary --json FILE` read FILE. Asking for an option
// marks it used, and finish() rejects leftovers.
class Args {
public:
    Args(int argc, char** argv);
    // The next positional argument, or a UsageError naming `what`.
    std::string positional(std::string_view what);
    std::optional<std::string> option(std::string_view name);
    std::string option_or(std::string_view name, std::string fallback);
    long long int_option_or(std::string_view name, long long fallback);
    double double_option_or(std::string_view name, double fallback);
    bool flag(std::string_view name);
    // Throws a UsageError for any argument no one asked for.
    void finish();

private:
    std::vector<std::string> items_;
    std::vector<bool> used_;
};

struct Command {
    std::string_view name;
    std::string_view summary;
    std::function<int(Args)> run;
};

const std::vector<Command>& commands();

} // namespace nnscope::cli

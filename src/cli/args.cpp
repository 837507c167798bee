#include "cli/commands.h"

#include <charconv>

namespace nnscope::cli {

namespace {

std::string see_help(const Command& command) {
    return " (see 'nnscope-cli " + std::string(command.name) + " --help')";
}

} // namespace

Args::Args(const Command& command, int argc, char** argv)
    : command_(&command) {
    const std::vector<std::string> items(argv, argv + argc);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string& item = items[i];
        if (item == "-h" || item == "--help") continue; // main prints the help
        if (!item.starts_with("-") || item == "-") {
            positionals_.push_back(item);
            continue;
        }
        const std::size_t equals = item.find('=');
        const std::string name =
            item.starts_with("--")
                ? item.substr(2, equals == std::string::npos ? equals : equals - 2)
                : item;
        const Option* option = nullptr;
        const bool alias = !item.starts_with("--");
        for (const Option& o : command.options)
            if (!o.is_positional &&
                (alias ? !o.alias.empty() && "-" + std::string(o.alias) == item : o.name == name))
                option = &o;
        if (!option || (alias && equals != std::string::npos))
            throw UsageError("unknown option '" + item.substr(0, equals) + "'" + see_help(command));
        std::optional<std::string> value;
        if (equals != std::string::npos) {
            if (option->placeholder.empty())
                throw UsageError("option --" + std::string(option->name) + " takes no value");
            value = item.substr(equals + 1);
        } else if (!option->placeholder.empty()) {
            if (i + 1 >= items.size())
                throw UsageError("option --" + std::string(option->name) + " needs a value (" +
                                 std::string(option->placeholder) + ")");
            value = items[++i];
        }
        given_.emplace_back(std::string(option->name), std::move(value));
    }
}

const Option& Args::declared(std::string_view name, bool with_value) const {
    for (const Option& o : command_->options)
        if (!o.is_positional && o.name == name && o.placeholder.empty() != with_value) return o;
    throw std::logic_error("nnscope-cli " + std::string(command_->name) + " reads --" +
                           std::string(name) + ", which its option table does not declare" +
                           (with_value ? " with a value" : " as a flag"));
}

std::string Args::positional(std::string_view what) {
    if (next_positional_ < positionals_.size()) return positionals_[next_positional_++];
    throw UsageError("missing " + std::string(what) + see_help(*command_));
}

std::optional<std::string> Args::option(std::string_view name) {
    declared(name, true);
    std::optional<std::string> result; // the last one given wins
    for (const auto& [given, value] : given_)
        if (given == name) result = value;
    return result;
}

std::vector<std::string> Args::option_list(std::string_view name) {
    declared(name, true);
    std::vector<std::string> result;
    for (const auto& [given, value] : given_)
        if (given == name) result.push_back(*value);
    return result;
}

std::string Args::option_or(std::string_view name, std::string fallback) {
    auto value = option(name);
    return value ? *value : std::move(fallback);
}

long long Args::int_option_or(std::string_view name, long long fallback) {
    auto value = option(name);
    if (!value) return fallback;
    long long result = 0;
    auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), result);
    if (error != std::errc() || end != value->data() + value->size())
        throw UsageError("--" + std::string(name) + " expects an integer, got '" + *value + "'");
    return result;
}

double Args::double_option_or(std::string_view name, double fallback) {
    auto value = option(name);
    if (!value) return fallback;
    try {
        std::size_t used = 0;
        const double result = std::stod(*value, &used);
        if (used != value->size()) throw std::invalid_argument("trailing characters");
        return result;
    } catch (const std::exception&) {
        throw UsageError("--" + std::string(name) + " expects a number, got '" + *value + "'");
    }
}

bool Args::flag(std::string_view name) {
    declared(name, false);
    for (const auto& given : given_)
        if (given.first == name) return true;
    return false;
}

bool Args::given(std::string_view name) const {
    bool declared_here = false;
    for (const Option& o : command_->options)
        declared_here = declared_here || (!o.is_positional && o.name == name);
    if (!declared_here)
        throw std::logic_error("nnscope-cli " + std::string(command_->name) + " asks for --" +
                               std::string(name) + ", which its option table does not declare");
    for (const auto& g : given_)
        if (g.first == name) return true;
    return false;
}

void Args::finish() {
    if (next_positional_ < positionals_.size())
        throw UsageError("unexpected argument '" + positionals_[next_positional_] + "'" +
                         see_help(*command_));
}

bool wants_help(int argc, char** argv) {
    for (int i = 0; i < argc; ++i)
        if (std::string_view(argv[i]) == "-h" || std::string_view(argv[i]) == "--help") return true;
    return false;
}

} // namespace nnscope::cli

#include "cli/commands.h"

#include <charconv>

namespace nnscope::cli {

Args::Args(int argc, char** argv)
    : items_(argv, argv + argc)
    , used_(items_.size(), false) {}

std::string Args::positional(std::string_view what) {
    // Positionals come before options by convention, so an item right after an unclaimed
    // "--option" is that option's value, not a positional.
    for (std::size_t i = 0; i < items_.size(); ++i) {
        if (used_[i] || items_[i].starts_with("--")) continue;
        if (i > 0 && items_[i - 1].starts_with("--") && !used_[i - 1]) continue;
        used_[i] = true;
        return items_[i];
    }
    throw UsageError("missing " + std::string(what));
}

std::optional<std::string> Args::option(std::string_view name) {
    const std::string key = "--" + std::string(name);
    for (std::size_t i = 0; i < items_.size(); ++i) {
        if (items_[i] != key) continue;
        if (i + 1 >= items_.size()) throw UsageError("option " + key + " needs a value");
        used_[i] = used_[i + 1] = true;
        return items_[i + 1];
    }
    return std::nullopt;
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
    const std::string key = "--" + std::string(name);
    for (std::size_t i = 0; i < items_.size(); ++i)
        if (items_[i] == key) {
            used_[i] = true;
            return true;
        }
    return false;
}

void Args::finish() {
    for (std::size_t i = 0; i < items_.size(); ++i)
        if (!used_[i]) throw UsageError("unexpected argument '" + items_[i] + "'");
}

} // namespace nnscope::cli

#include "data/config_error.h"

#include <algorithm>
#include <cctype>

namespace nnscope::data {

namespace {

bool is_name(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    });
}

// {name} becomes label(name) and {{ a literal {; other braces (a JSON value quoted in the
// message) stay as they are.
std::string render(const std::string& text,
                   const std::function<std::string(std::string_view)>& label) {
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
        if (text.compare(at, 2, "{{") == 0) {
            out += '{';
            at += 2;
            continue;
        }
        const auto close = text[at] == '{' ? text.find('}', at) : std::string::npos;
        const std::string_view name =
            close == std::string::npos ? "" : std::string_view(text).substr(at + 1, close - at - 1);
        if (!is_name(name)) {
            out += text[at++];
            continue;
        }
        out += label(name);
        at = close + 1;
    }
    return out;
}

} // namespace

ConfigError::ConfigError(std::string field, std::string message, Kind kind)
    : std::invalid_argument(
          render(message, [](std::string_view name) { return std::string(name); }))
    , field_(std::move(field))
    , template_(std::move(message))
    , kind_(kind) {}

std::string ConfigError::literal(std::string_view text) {
    std::string out;
    for (char c : text)
        out += c == '{' ? std::string("{{") : std::string(1, c);
    return out;
}

std::string ConfigError::message(const std::function<std::string(std::string_view)>& label) const {
    return render(template_, label);
}

} // namespace nnscope::data

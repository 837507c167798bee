#include "data/config_error.h"

namespace nnscope::data {

namespace {

std::string render(const std::string& text,
                   const std::function<std::string(std::string_view)>& label) {
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto open = text.find('{', at);
        const auto close = open == std::string::npos ? open : text.find('}', open);
        if (close == std::string::npos) {
            out += text.substr(at);
            break;
        }
        out += text.substr(at, open - at);
        out += label(std::string_view(text).substr(open + 1, close - open - 1));
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

std::string ConfigError::message(const std::function<std::string(std::string_view)>& label) const {
    return render(template_, label);
}

} // namespace nnscope::data

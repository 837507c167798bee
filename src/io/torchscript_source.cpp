#include "io/torchscript_source.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace nnscope::io {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// Splits at the commas outside brackets and quotes; nullopt when brackets do not balance.
std::optional<std::vector<std::string_view>> split_top_level(std::string_view text) {
    std::vector<std::string_view> parts;
    int depth = 0;
    char quote = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote) {
            if (c == '\\')
                ++i;
            else if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '(' || c == '[') {
            ++depth;
        } else if (c == ')' || c == ']') {
            if (--depth < 0) return std::nullopt;
        } else if (c == ',' && depth == 0) {
            parts.push_back(trim(text.substr(start, i - start)));
            start = i + 1;
        }
    }
    if (depth != 0 || quote) return std::nullopt;
    const std::string_view last = trim(text.substr(start));
    if (!last.empty()) parts.push_back(last); // a trailing comma leaves nothing after it
    return parts;
}

std::optional<nn::Value> parse_number(std::string_view text) {
    const bool is_float = text.find_first_of(".eE") != std::string_view::npos || text == "inf" ||
                          text == "-inf" || text == "nan";
    if (!is_float) {
        std::int64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
        return nn::Value(value);
    }
    const std::string copy(text);
    char* end = nullptr;
    const double value = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size()) return std::nullopt;
    return nn::Value(value);
}

} // namespace

std::optional<nn::Value> parse_script_literal(std::string_view text) {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    if (text == "None") return nn::Value();
    if (text == "True") return nn::Value(true);
    if (text == "False") return nn::Value(false);
    const char first = text.front();
    if ((first == '"' || first == '\'') && text.size() >= 2 && text.back() == first) {
        const std::string_view inner = text.substr(1, text.size() - 2);
        if (inner.find('\\') != std::string_view::npos) return std::nullopt; // no escapes here
        return nn::Value(std::string(inner));
    }
    if ((first == '(' && text.back() == ')') || (first == '[' && text.back() == ']')) {
        const auto parts = split_top_level(text.substr(1, text.size() - 2));
        if (!parts) return std::nullopt;
        nn::Value::List items;
        for (std::string_view part : *parts) {
            auto item = parse_script_literal(part);
            if (!item) return std::nullopt;
            items.push_back(std::move(*item));
        }
        return first == '(' ? nn::Value::tuple(std::move(items))
                            : nn::Value::list(std::move(items));
    }
    if (std::isdigit(static_cast<unsigned char>(first)) || first == '-' || first == '+' ||
        text == "inf" || text == "nan")
        return parse_number(text);
    return std::nullopt;
}

nn::Arguments script_constants(std::string_view class_body) {
    nn::Arguments constants;
    std::size_t pos = 0;
    while (pos < class_body.size()) {
        std::size_t end = class_body.find('\n', pos);
        if (end == std::string_view::npos) end = class_body.size();
        const std::string_view line = trim(class_body.substr(pos, end - pos));
        pos = end + 1;
        if (line.starts_with("def ")) break; // the methods follow the attributes
        const std::size_t colon = line.find(" : Final[");
        const std::size_t equals = line.find("] = ");
        if (colon == std::string_view::npos || equals == std::string_view::npos || equals < colon)
            continue;
        const std::string_view name = trim(line.substr(0, colon));
        if (auto value = parse_script_literal(line.substr(equals + 4)))
            constants.emplace_back(std::string(name), std::move(*value));
    }
    return constants;
}

std::optional<std::vector<std::optional<nn::Value>>> script_call_arguments(std::string_view body,
                                                                           std::string_view op) {
    const std::string call = std::string(op) + "(";
    std::size_t at = 0;
    while ((at = body.find(call, at)) != std::string_view::npos) {
        const char before = at == 0 ? ' ' : body[at - 1];
        if (!std::isalnum(static_cast<unsigned char>(before)) && before != '_' && before != '.')
            break;
        at += call.size();
    }
    if (at == std::string_view::npos) return std::nullopt;
    const std::size_t open = at + call.size() - 1;
    int depth = 0;
    std::size_t close = open;
    for (; close < body.size(); ++close) {
        if (body[close] == '(' || body[close] == '[') ++depth;
        if (body[close] == ')' || body[close] == ']') --depth;
        if (depth == 0) break;
    }
    if (close >= body.size()) return std::nullopt;
    const auto parts = split_top_level(body.substr(open + 1, close - open - 1));
    if (!parts) return std::nullopt;
    std::vector<std::optional<nn::Value>> arguments;
    for (std::string_view part : *parts)
        arguments.push_back(parse_script_literal(part));
    return arguments;
}

} // namespace nnscope::io

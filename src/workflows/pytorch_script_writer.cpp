#include "workflows/pytorch_script_writer.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace nnscope::workflows::pyscript {

std::string boolean(bool b) {
    return b ? "True" : "False";
}

std::string number(double x) {
    char buffer[64];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, x).ptr;
    std::string text(buffer, end);
    if (text.find_first_of(".en") == std::string::npos) text += ".0";
    return text;
}

namespace {

template <class T, class Format> std::string list(const std::vector<T>& values, Format format) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + format(values[i]);
    return out + "]";
}

} // namespace

std::string integers(const std::vector<std::int64_t>& values) {
    return list(values, [](std::int64_t v) { return std::to_string(v); });
}

std::string numbers(const std::vector<double>& values) {
    return list(values, number);
}

// A JSON string is a Python string literal: the same escapes, \uXXXX included.
std::string string(const std::string& text) {
    return nlohmann::json(text).dump();
}

std::string indices(const std::optional<std::vector<std::int64_t>>& listed,
                    const std::optional<std::pair<std::int64_t, std::int64_t>>& range) {
    if (listed) return integers(*listed);
    if (range)
        return "range(" + std::to_string(range->first) + ", " + std::to_string(range->second) + ")";
    return "range(len(dataset))";
}

void Script::helper(const std::string& code) {
    if (std::find(helpers.begin(), helpers.end(), code) == helpers.end()) helpers.push_back(code);
}

} // namespace nnscope::workflows::pyscript

#include "data/transforms/transform.h"

#include "engine/nn/value.h"

namespace nnscope::data {

std::string Drawn::to_string() const {
    std::string out = transform + ":";
    for (const auto& [key, value] : values) {
        out += " " + key + "=";
        if (const bool* b = std::get_if<bool>(&value))
            out += *b ? "true" : "false";
        else if (const auto* i = std::get_if<std::int64_t>(&value))
            out += std::to_string(*i);
        else
            out += nn::python_float_repr(std::get<double>(value));
    }
    return out;
}

} // namespace nnscope::data

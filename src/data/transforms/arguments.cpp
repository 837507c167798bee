#include "data/transforms/arguments.h"

#include <cctype>
#include <cmath>
#include <stdexcept>

namespace nnscope::data::transforms {

functional::Interpolation interpolation_arg(const nn::Value& v, const std::string& transform) {
    std::string name;
    if (v.is_enum()) {
        if (v.as_enum().type != "InterpolationMode")
            throw std::invalid_argument(transform +
                                        ": interpolation must be an "
                                        "InterpolationMode, got " +
                                        v.as_enum().type + "." + v.as_enum().member);
        name = v.as_enum().member;
        for (char& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (v.is_string()) {
        name = v.as_string();
    } else {
        throw std::invalid_argument(transform +
                                    ": Argument interpolation should be a InterpolationMode, got " +
                                    v.type_name() + " " + v.repr());
    }
    try {
        return functional::interpolation_from_name(name);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(transform + ": " + e.what());
    }
}

std::vector<double> number_list(const nn::Value& v, const std::string& what) {
    std::vector<double> out;
    try {
        if (v.is_list())
            for (const auto& x : v.as_list())
                out.push_back(x.as_double());
        else
            out.push_back(v.as_double());
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(what +
                                    " must be a number or a sequence of numbers: " + e.what());
    }
    return out;
}

std::vector<std::int64_t> int_list(const nn::Value& v, const std::string& what) {
    std::vector<std::int64_t> out;
    for (double d : number_list(v, what)) {
        if (d != std::floor(d) || std::fabs(d) > 1e15)
            throw std::invalid_argument(what + " must hold integers, got " + v.repr());
        out.push_back(static_cast<std::int64_t>(d));
    }
    return out;
}

std::vector<std::int64_t> setup_size(const nn::Value& v, const std::string& transform) {
    std::vector<std::int64_t> size;
    if (v.is_number()) {
        // int(size): Python truncates a float.
        const auto n = static_cast<std::int64_t>(v.as_double());
        size = {n, n};
    } else if (v.is_list()) {
        size = int_list(v, transform + ": size");
        if (size.size() == 1) size.push_back(size[0]);
        if (size.size() != 2)
            throw std::invalid_argument(transform +
                                        ": Please provide only two dimensions (h, w) for size.");
    } else {
        throw std::invalid_argument(transform + ": size should be an int or a sequence, got " +
                                    v.type_name() + " " + v.repr());
    }
    for (auto s : size)
        if (s <= 0)
            throw std::invalid_argument(transform + ": size must be positive, got " + v.repr());
    return size;
}

double probability_arg(const nn::Value& v, const std::string& transform) {
    if (!v.is_number())
        throw std::invalid_argument(transform + ": p must be a number, got " + v.type_name() + " " +
                                    v.repr());
    const double p = v.as_double();
    if (!(p >= 0 && p <= 1))
        throw std::invalid_argument(transform + ": p must be a probability in [0, 1], got " +
                                    v.repr());
    return p;
}

} // namespace nnscope::data::transforms

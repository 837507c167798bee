#include "data/transforms/normalize.h"

#include "data/transforms/functional.h"

#include <stdexcept>

namespace nnscope::data {

namespace {

std::vector<double> numbers(const nn::Value& v, const char* what) {
    std::vector<double> out;
    try {
        if (v.is_list()) {
            for (const auto& x : v.as_list())
                out.push_back(x.as_double());
        } else {
            out.push_back(v.as_double());
        }
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(std::string("Normalize: ") + what +
                                    " must be a number or a sequence of numbers: " + e.what());
    }
    if (out.empty()) throw std::invalid_argument(std::string("Normalize: ") + what + " is empty");
    return out;
}

} // namespace

Normalize::Normalize(nn::Value mean, nn::Value std, bool inplace)
    : mean_given_(std::move(mean))
    , std_given_(std::move(std))
    , mean_(numbers(mean_given_, "mean"))
    , std_(numbers(std_given_, "std"))
    , inplace_(inplace) {}

Tensor Normalize::apply(const Tensor& image, Generator&, std::vector<Drawn>*) const {
    return functional::normalize(image, mean_, std_, inplace_);
}

std::string Normalize::repr() const {
    return "Normalize(mean=" + mean_given_.repr() + ", std=" + std_given_.repr() + ")";
}

} // namespace nnscope::data

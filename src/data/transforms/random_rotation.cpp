#include "data/transforms/random_rotation.h"

#include "data/transforms/arguments.h"
#include "engine/random.h"

#include <stdexcept>

namespace nnscope::data {

using nn::Value;

RandomRotation::RandomRotation(Value degrees, Value interpolation, bool expand, Value center,
                               Value fill)
    : mode_(transforms::interpolation_arg(interpolation, "RandomRotation"))
    , expand_(expand)
    , center_given_(std::move(center))
    , fill_given_(fill.is_none() ? Value(0) : std::move(fill)) {
    if (degrees.is_number()) {
        const double d = degrees.as_double();
        if (d < 0)
            throw std::invalid_argument(
                "RandomRotation: If degrees is a single number, it must be positive, got " +
                degrees.repr());
        // Python negates before converting: -0 is 0 for an int, -0.0 for a float.
        min_ = degrees.is_int() ? static_cast<double>(-degrees.as_int()) : -d;
        max_ = d;
    } else if (degrees.is_list()) {
        const auto d = transforms::number_list(degrees, "RandomRotation: degrees");
        if (d.size() != 2)
            throw std::invalid_argument("RandomRotation: degrees should be a sequence of length 2, "
                                        "got " +
                                        degrees.repr());
        min_ = d[0];
        max_ = d[1];
    } else {
        throw std::invalid_argument("RandomRotation: degrees should be a number or a sequence "
                                    "of length 2, got " +
                                    degrees.type_name() + " " + degrees.repr());
    }
    if (min_ > max_)
        throw std::invalid_argument("RandomRotation: degrees must be [min, max] with min <= max, "
                                    "got " +
                                    degrees.repr());
    if (!center_given_.is_none()) {
        if (!center_given_.is_list())
            throw std::invalid_argument("RandomRotation: center should be a sequence of length 2.");
        center_ = transforms::number_list(center_given_, "RandomRotation: center");
        if (center_->size() != 2)
            throw std::invalid_argument("RandomRotation: center should be a sequence of length 2.");
    }
    if (!fill_given_.is_number() && !fill_given_.is_list())
        throw std::invalid_argument("RandomRotation: Fill should be either a sequence or a "
                                    "number, got " +
                                    fill_given_.repr());
    fill_ = transforms::number_list(fill_given_, "RandomRotation: fill");
}

double RandomRotation::get_params(double min_degrees, double max_degrees, Generator& gen) {
    Tensor t = Tensor::empty({1}, DType::Float32);
    uniform_(t, min_degrees, max_degrees, gen);
    return t.item();
}

Tensor RandomRotation::apply(const Tensor& image, Generator& gen, std::vector<Drawn>* drawn) const {
    const auto s = functional::image_size(image);
    // forward(): a number becomes one fill value per channel.
    std::vector<double> fill = fill_;
    if (fill_given_.is_number()) fill.assign(static_cast<std::size_t>(s.channels), fill_[0]);
    const double angle = get_params(min_, max_, gen);
    if (drawn) drawn->push_back({"RandomRotation", {{"angle", angle}}});
    return functional::rotate(image, angle, mode_, expand_, center_, fill);
}

std::string RandomRotation::repr() const {
    std::string out = "RandomRotation(degrees=[" + nn::python_float_repr(min_) + ", " +
                      nn::python_float_repr(max_) + "]";
    out += std::string(", interpolation=") + functional::interpolation_name(mode_);
    out += std::string(", expand=") + (expand_ ? "True" : "False");
    if (!center_given_.is_none()) out += ", center=" + center_given_.repr();
    out += ", fill=" + fill_given_.repr() + ")";
    return out;
}

} // namespace nnscope::data

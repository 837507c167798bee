#include "workflows/predictions.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <stdexcept>

namespace nnscope::workflows {

std::vector<Prediction> top_k(const Tensor& output, std::int64_t k,
                              const std::vector<std::string>& class_names, std::int64_t sample) {
    if (output.dim() != 1 && output.dim() != 2)
        throw std::invalid_argument("top-k needs an output of shape [batch, classes]; the "
                                    "model's is " +
                                    shape_to_string(output.shape()));
    if (k < 1) throw std::invalid_argument("top-k: k must be at least 1");
    const Tensor row = output.dim() == 1 ? output : [&] {
        if (sample < 0 || sample >= output.size(0))
            throw std::invalid_argument("top-k: sample " + std::to_string(sample) +
                                        " is outside the batch of " +
                                        std::to_string(output.size(0)));
        return output.select(0, sample);
    }();
    const std::vector<double> scores = row.to_vector();
    const double top = scores.empty() ? 0 : *std::max_element(scores.begin(), scores.end());
    double total = 0;
    for (double s : scores)
        total += std::exp(s - top);
    std::vector<std::int64_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    const auto n = std::min<std::size_t>(static_cast<std::size_t>(k), order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                      [&](std::int64_t a, std::int64_t b) {
                          const double sa = scores[static_cast<std::size_t>(a)];
                          const double sb = scores[static_cast<std::size_t>(b)];
                          return sa > sb || (sa == sb && a < b);
                      });
    std::vector<Prediction> out;
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<std::size_t>(order[i]);
        Prediction p;
        p.index = order[i];
        p.score = scores[c];
        p.probability = std::exp(scores[c] - top) / total;
        if (class_names.size() == scores.size()) p.name = class_names[c];
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<std::string> read_class_names(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path.string() + ": cannot read the class names");
    std::vector<std::string> names;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        names.push_back(line);
    }
    while (!names.empty() && names.back().empty())
        names.pop_back();
    return names;
}

std::vector<std::string> imagenet_class_names(const std::filesystem::path& resources_dir) {
    return read_class_names(resources_dir / "imagenet_classes.txt");
}

std::vector<std::string> class_names_for(std::int64_t classes,
                                         const std::vector<std::string>& dataset_names,
                                         const std::filesystem::path& resources_dir) {
    if (static_cast<std::int64_t>(dataset_names.size()) == classes) return dataset_names;
    if (classes == 1000) return imagenet_class_names(resources_dir);
    return {};
}

Tensor saliency_map(const Tensor& input_grad, std::int64_t sample) {
    Tensor g = input_grad;
    if (g.dim() == 4) g = g.select(0, sample);
    if (g.dim() != 3)
        throw std::invalid_argument("a saliency map needs an image gradient [N, C, H, W]; got " +
                                    shape_to_string(input_grad.shape()));
    const std::int64_t c = g.size(0), h = g.size(1), w = g.size(2);
    const std::vector<double> values = g.to_vector();
    std::vector<double> out(static_cast<std::size_t>(h * w), 0.0);
    for (std::int64_t ch = 0; ch < c; ++ch)
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] =
                std::max(out[i], std::abs(values[static_cast<std::size_t>(ch) * out.size() + i]));
    return Tensor::from_vector(out, {h, w});
}

Tensor saliency_image(const Tensor& saliency) {
    const std::vector<double> values = saliency.to_vector();
    const double top = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    Tensor img = Tensor::zeros({1, saliency.size(0), saliency.size(1)}, DType::UInt8);
    std::uint8_t* p = img.data_ptr<std::uint8_t>();
    if (top > 0)
        for (std::size_t i = 0; i < values.size(); ++i)
            p[i] = static_cast<std::uint8_t>(std::lround(values[i] / top * 255.0));
    return img;
}

} // namespace nnscope::workflows

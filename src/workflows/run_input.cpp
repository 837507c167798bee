#include "workflows/run_input.h"

#include "data/dataset_part.h"
#include "data/image_file.h"
#include "data/loader_factory.h"
#include "data/transforms/functional.h"
#include "engine/random.h"
#include "io/safetensors.h"

#include <stdexcept>

namespace nnscope::workflows {

RunInput image_run_input(const Tensor& pixels, const ImagePreprocess& pre, std::int64_t channels,
                         std::string description) {
    RunInput in;
    in.image = resize_and_crop(image_channels(pixels, channels), pre);
    in.input = image_input(pixels, pre, channels);
    in.description = std::move(description);
    return in;
}

RunInput image_run_input(const std::string& path, const ImagePreprocess& pre,
                         std::int64_t channels) {
    return image_run_input(data::read_image(path), pre, channels,
                           std::filesystem::path(path).filename().string());
}

RunInput dataset_run_input(const data::DataLoaderConfig& config, std::int64_t index) {
    data::DataLoaderConfig whole = config;
    const data::BuiltLoader built = data::build_loader(whole);
    const std::int64_t size = built.dataset->size();
    if (index < 0 || index >= size)
        throw std::out_of_range("sample " + std::to_string(index) +
                                " is out of range: " + built.dataset->name() +
                                (size == 0 ? std::string(" has no samples")
                                           : " has " + std::to_string(size) + " samples (0 to " +
                                                 std::to_string(size - 1) + ")"));
    const data::Sample sample = built.dataset->get(index);
    RunInput in;
    const data::Sample* value = &sample;
    if (sample.is_tuple() && !sample.items().empty()) {
        value = &sample.items()[0];
        if (sample.items().size() > 1 && sample.items()[1].is_int())
            in.label = sample.items()[1].integer();
    }
    if (!value->is_tensor())
        throw std::invalid_argument(built.dataset->name() + " sample " + std::to_string(index) +
                                    " is a " + value->kind() + ", not a tensor a model can take");
    Tensor x = value->tensor();
    if (x.dtype() == DType::UInt8) { // as ToTensor: float32 / 255
        in.image = x.dim() == 2 ? x.unsqueeze(0) : x;
        x = data::functional::normalize(in.image.to(DType::Float32).contiguous(), {0.0}, {255.0});
    }
    in.input = x.unsqueeze(0).contiguous();
    in.class_names = data::class_names(*built.source);
    in.description = built.dataset->name() + " #" + std::to_string(index);
    return in;
}

RunInput random_run_input(const Shape& shape, std::uint64_t seed) {
    if (shape.empty())
        throw std::invalid_argument("a random input needs a shape (the model's is unknown)");
    for (auto d : shape)
        if (d < 1)
            throw std::invalid_argument("a random input's shape " + shape_to_string(shape) +
                                        " has a dimension below 1");
    Generator gen(seed);
    RunInput in;
    in.input = randn(shape, gen);
    in.description = "randn" + shape_to_string(shape) + " seed " + std::to_string(seed);
    return in;
}

RunInput safetensors_run_input(const std::string& path, const std::string& name,
                               const std::optional<Shape>& model_shape) {
    const io::SafetensorsFile file(path);
    std::string chosen = name;
    if (chosen.empty()) {
        if (file.contains("input"))
            chosen = "input";
        else if (file.names().size() == 1)
            chosen = file.names().front();
    }
    if (chosen.empty() || !file.contains(chosen)) {
        std::string names;
        for (const auto& n : file.names())
            names += (names.empty() ? "'" : ", '") + n + "'";
        throw std::invalid_argument(
            path + ": " +
            (chosen.empty() ? std::string("which tensor is the input?")
                            : "no tensor '" + chosen + "'") +
            " (" + (names.empty() ? "the file has no tensors" : "it has " + names) + ")");
    }
    RunInput in;
    in.input = file.tensor(chosen);
    if (model_shape && in.input.dim() + 1 == static_cast<std::int64_t>(model_shape->size()))
        in.input = in.input.unsqueeze(0);
    in.description = std::filesystem::path(path).filename().string() + ": " + chosen;
    return in;
}

} // namespace nnscope::workflows

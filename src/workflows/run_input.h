#pragma once
// The inputs a model can be run on (issue #16's Run panel and `nnscope-cli run`): an image file
// (image_input.h), a sample of a data set in #8's configuration schema with its transforms, a
// random tensor of the model's input shape, or a tensor from a safetensors file. Each comes as a
// batch of one, with what is known about it: its label, the data set's class names, the image
// the model sees (for a saliency overlay).

#include "data/loader_config.h"
#include "engine/tensor.h"
#include "workflows/image_input.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::workflows {

struct RunInput {
    Tensor input;                         // [1, ...], what the model is fed
    std::optional<std::int64_t> label;    // a data set sample's label
    std::vector<std::string> class_names; // the data set's, when it names its classes
    Tensor image;                         // uint8 [C, H, W] the input shows, when it is an image
    std::string description;              // "photo.png (imagenet)", "fashion-mnist test #12", ...
};

// image_input of uint8 pixels [C, H, W] (a window decodes PNG/JPEG itself), with the resized and
// cropped image kept for display.
RunInput image_run_input(const Tensor& pixels, const ImagePreprocess& pre, std::int64_t channels,
                         std::string description);
// The same for a PNG or JPEG file (data/image_file.h: picked by its first bytes).
RunInput image_run_input(const std::string& path, const ImagePreprocess& pre,
                         std::int64_t channels = 3);

// Sample `index` of the configuration's data set and split, through its transform (uint8
// images become float32 / 255, as ToTensor). Throws data::ConfigError for a bad configuration,
// std::out_of_range saying how many samples there are for an index outside them.
RunInput dataset_run_input(const data::DataLoaderConfig& config, std::int64_t index);

// randn(shape) from a generator seeded with `seed`. Throws std::invalid_argument for an empty
// shape or one with a dimension below 1.
RunInput random_run_input(const Shape& shape, std::uint64_t seed = 0);

// Tensor `name` of a safetensors file ("" picks "input" when present, else the only tensor),
// with a batch dimension added when it has one dimension fewer than `model_shape` (when known).
// Throws std::invalid_argument naming the file and what it has.
RunInput safetensors_run_input(const std::string& path, const std::string& name = {},
                               const std::optional<Shape>& model_shape = {});

} // namespace nnscope::workflows

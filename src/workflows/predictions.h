#pragma once
// What a classifier's output says: the top-k classes of one sample with their softmax
// probabilities and names (ImageNet's 1,000 from resources/imagenet_classes.txt, written by
// tests/golden/gen_imagenet_classes.py from torchvision; or a data set's own), and the saliency
// of an input gradient: max |grad| over the channels, per pixel.

#include "engine/tensor.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nnscope::workflows {

struct Prediction {
    std::int64_t index = 0;
    double score = 0;       // the output's value (logit)
    double probability = 0; // softmax over the sample's classes
    std::string name;       // "" when no names are known
};

// The k largest classes of sample `sample` of an output [N, classes] (or [classes]), largest
// first (ties: the lower index first). `class_names` name them when it has one per class.
// Throws std::invalid_argument for another rank, k < 1 or a sample out of range.
std::vector<Prediction> top_k(const Tensor& output, std::int64_t k,
                              const std::vector<std::string>& class_names = {},
                              std::int64_t sample = 0);

// One name a line (trailing empty lines ignored); throws std::runtime_error naming the file.
std::vector<std::string> read_class_names(const std::filesystem::path& path);

// resources_dir/imagenet_classes.txt.
std::vector<std::string> imagenet_class_names(const std::filesystem::path& resources_dir);

// The names for an output of `classes` classes: `dataset_names` when it has that many, ImageNet's
// (read from resources_dir) for 1,000 classes, none otherwise.
std::vector<std::string> class_names_for(std::int64_t classes,
                                         const std::vector<std::string>& dataset_names,
                                         const std::filesystem::path& resources_dir);

// float32 [H, W]: max over channels of |grad| of sample `sample` of an input gradient
// [N, C, H, W] (or [C, H, W]). Throws std::invalid_argument for another rank.
Tensor saliency_map(const Tensor& input_grad, std::int64_t sample = 0);

// uint8 [1, H, W] of a saliency map scaled so that its maximum is 255 (all zeros stay 0).
Tensor saliency_image(const Tensor& saliency);

} // namespace nnscope::workflows

#pragma once
// One image of a data set before and after a torchvision-style pipeline, with what the random
// transforms drew. The image enters the pipeline as torchvision's tensor path would take the
// dataset's picture: a uint8 tensor [H, W] (what np.array(PIL image) holds), so a pipeline may
// start with ToTensor(). The transforms draw from a generator seeded with `seed`, which is what
// torch.manual_seed(seed) just before applying the pipeline gives. Used by `nnscope-cli
// transform` and the lab's transform preview.

#include "data/mnist.h"
#include "data/transforms/transform.h"

#include <string>
#include <vector>

namespace nnscope::workflows {

// The image after one transform of a Compose, with what that transform drew.
struct TransformStage {
    std::string title; // the transform's repr, e.g. "RandomRotation(degrees=[-30.0, 30.0], ...)"
    Tensor image;      // its output
    std::vector<data::Drawn> drawn;
};

struct TransformPreview {
    Tensor before; // uint8 [1, H, W] as stored
    Tensor after;  // the pipeline's output
    std::vector<data::Drawn> drawn;
    std::int64_t label = -1;
    std::string class_name; // empty when the label names no class
    // With `stages`: one per transform of a Compose (its top level), one for any other pipeline;
    // the last image is `after`. Applying them in turn with one generator is what Compose does,
    // so the draws and the result are the same as without stages.
    std::vector<TransformStage> stages;
};

// std::out_of_range for an index outside the data set; the pipeline's own errors as they are.
TransformPreview preview_transform(const data::MnistDataset& dataset, std::int64_t index,
                                   const data::Transform& transform, std::uint64_t seed,
                                   bool stages = false);

} // namespace nnscope::workflows

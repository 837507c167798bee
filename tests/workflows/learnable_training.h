#pragma once
// The training runs the workflow tests share: the bundled mlp on learnable_data.h's block images.

#include "workflows/training_config.h"

#include <cstdint>
#include <optional>
#include <string>

namespace nnscope::test {

// mlp on the MNIST-style images in `images_dir` (write_learnable_data's "idx" folder), SGD with
// its default learning rate; `limit`: the first N samples of each split.
inline workflows::TrainingConfig learnable_mlp(const std::string& images_dir,
                                               std::optional<std::int64_t> limit,
                                               std::int64_t batch_size, std::uint64_t seed) {
    workflows::TrainingConfig c;
    c.model = "mlp";
    c.loader.dataset = "mnist:" + images_dir;
    if (limit) workflows::limit_samples(c, *limit);
    c.loader.batch_size = batch_size;
    c.seed = seed;
    return c;
}

} // namespace nnscope::test

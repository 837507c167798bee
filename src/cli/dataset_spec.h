#pragma once
// The data sets a --dataset option names, shared by the subcommands that read data:
// range:N, fashion-mnist[:PATH] (default: Debian's dataset-fashion-mnist) and mnist:PATH.

#include "data/dataset.h"
#include "data/mnist.h"

#include <memory>
#include <string>

namespace nnscope::cli {

// fashion-mnist[:PATH] or mnist:PATH; nullptr for any other kind. Throws UsageError for
// mnist without a path.
std::shared_ptr<data::MnistDataset> open_image_dataset(const std::string& spec, data::Split split);
// Any kind above, or a UsageError listing the kinds.
data::DatasetPtr open_dataset(const std::string& spec, data::Split split);

} // namespace nnscope::cli

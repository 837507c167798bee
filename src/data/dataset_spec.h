#pragma once
// The data sets a configuration names by one string, shared by the CLI, the DataLoader
// configuration and the training workflow: range:N, fashion-mnist[:PATH] (default: Debian's
// dataset-fashion-mnist), mnist:PATH and ag-news:PATH.

#include "data/dataset.h"
#include "data/mnist.h"

#include <memory>
#include <string>

namespace nnscope::data {

// "kind:argument" split at the first colon (argument empty without one).
struct DatasetSpec {
    std::string kind, argument;
};
DatasetSpec parse_dataset_spec(const std::string& spec);

// fashion-mnist[:PATH] or mnist:PATH; nullptr for any other kind. Throws ConfigError (field
// "dataset") for mnist without a path, std::runtime_error for unreadable files.
std::shared_ptr<MnistDataset> open_image_dataset(const std::string& spec, Split split);
// Any kind above, or a ConfigError listing the kinds.
DatasetPtr open_dataset(const std::string& spec, Split split);

} // namespace nnscope::data

#pragma once
// The part of a data set a DataLoaderConfig reads (DataLoaderConfig::part): the whole data set,
// Subset(data, indices) or random_split(data, lengths,
// generator=torch.Generator().manual_seed(seed))[part]. Labels pass through (Subset::label);
// class_names() finds the names of the classes through any Subsets.

#include "data/dataset.h"
#include "data/loader_config.h"

#include <string>
#include <vector>

namespace nnscope::data {

// The checks that need no data, with PyTorch's messages where it has one: a list and a range
// together, a reversed range, no lengths, fractions outside [0, 1], counts that are negative or
// not whole, a part index outside the lengths. ConfigError naming the field
// ("subset.indices", "subset.range", "subset.random_split.lengths" or ".part").
void validate_dataset_part(const DatasetPart& part);

struct DatasetPartResult {
    DatasetPtr dataset;                // `whole` itself for monostate
    std::vector<std::string> warnings; // random_split's, for an empty part
};
// The part of `whole`; ConfigError for an index out of range or lengths that do not sum to its
// size (PyTorch's message).
DatasetPartResult take_dataset_part(const DatasetPtr& whole, const DatasetPart& part);

// The names of d's classes (MNIST's, Fashion-MNIST's, AG_NEWS's), looking through Subsets; empty
// when its classes have no names.
std::vector<std::string> class_names(const Dataset& d);

} // namespace nnscope::data

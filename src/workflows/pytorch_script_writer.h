#pragma once
// The pieces pytorch_script.cpp puts together: Python literals, and the code of the data set and
// of the sampler as statements that define `dataset` and `sampler`. Internal to the workflows
// library.

#include "data/loader_factory.h"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace nnscope::workflows::pyscript {

// Python literals: True/False, a float that reads back as the same double, [1, 2], "text".
std::string boolean(bool b);
std::string number(double x);
std::string integers(const std::vector<std::int64_t>& values);
std::string numbers(const std::vector<double>& values);
std::string string(const std::string& text);
// The indices of a Subset or SubsetRandomSampler: the list, else range(begin, end), else every
// index of `dataset`.
std::string indices(const std::optional<std::vector<std::int64_t>>& listed,
                    const std::optional<std::pair<std::int64_t, std::int64_t>>& range);

// What a piece needs at the top of the script, and its code.
struct Script {
    std::set<std::string> modules;    // stdlib (and numpy) modules to import
    std::set<std::string> data_names; // names imported from torch.utils.data
    bool torchvision = false;         // `from torchvision import transforms as T`
    std::vector<std::string> helpers; // functions and classes, each defined once, in order
    std::string body;                 // statements in order

    void helper(const std::string& code); // adds code unless it is there already
};

// The data set as the loader reads it: defines `dataset` (the configured part of the named data
// set, with the transform) and says how a batch of the loader unpacks into indices and labels.
struct DatasetCode {
    std::string loader_input; // the DataLoader's first argument
    std::string unpack_batch; // "indices, labels = ..." from `batch`
};
DatasetCode write_dataset(const data::DataLoaderConfig& config, Script& script);

// torchvision code for an nnscope pipeline (data/transforms): names prefixed with `T.`,
// ToTensor() as ConvertImageDtype(torch.float) because the images are tensors already.
std::string transform_expression(const std::string& pipeline);

// Defines `generator` when seeded and `sampler` / `batch_sampler` when configured; returns the
// DataLoader's sampler arguments ("sampler=sampler", ...), empty for none.
std::vector<std::string> write_sampler(const data::DataLoaderConfig& config,
                                       const data::BuiltLoader& built, Script& script);

} // namespace nnscope::workflows::pyscript

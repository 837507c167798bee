#pragma once
// The weights of a WeightedRandomSampler as a configuration gives them: one per sample, one per
// class, "class-balanced" (the inverse frequency of the sample's class), or a plain list that is
// one per sample when its length is the data set's and one per class otherwise.

#include "data/dataset.h"

#include <string>
#include <vector>

namespace nnscope::data {

struct SampleWeights {
    enum class Kind { ClassBalanced, PerSample, PerClass, Listed };
    Kind kind = Kind::ClassBalanced;
    std::vector<double> values; // empty for ClassBalanced

    bool operator==(const SampleWeights&) const = default;
};

// "class-balanced" or comma-separated numbers (Listed). ConfigError (field "sampler.weights")
// for an item that is not a number.
SampleWeights parse_sample_weights(const std::string& text);

// One weight per sample of d. ConfigError for a list that fits neither the samples nor the
// classes, per-class weights on a data set without labels, and (PyTorch's multinomial messages)
// negative, non-finite or all-zero weights.
std::vector<double> resolve_sample_weights(const SampleWeights& weights, const Dataset& d);

} // namespace nnscope::data

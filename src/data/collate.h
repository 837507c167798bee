#pragma once
// default_collate and default_convert of torch.utils.data 1.13.

#include "data/sample.h"

#include <functional>
#include <vector>

namespace nnscope::data {

using CollateFn = std::function<Sample(std::vector<Sample>)>;

// Tensors are stacked along a new first dimension, ints become an int64 tensor, floats a
// float64 tensor, strings stay a tuple of strings; tuples and dicts are collated per position /
// key (tuples must all have the same length).
Sample default_collate(std::vector<Sample> batch);
// What batch_size=None uses: the sample unchanged (Python numbers are not converted).
Sample default_convert(std::vector<Sample> batch);

} // namespace nnscope::data

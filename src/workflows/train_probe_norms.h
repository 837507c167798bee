#pragma once
// The parameter norms of a step record (train_record.h): ||p.grad||, ||p|| and the update
// ||p_after - p_before||, accumulated in double over every element. A float32 contiguous tensor
// is read in place; other dtypes and strided views go through a float64 copy.

#include "engine/tensor.h"

#include <vector>

namespace nnscope::workflows {

// A parameter's values kept before optimizer.step(), reused from step to step.
struct SavedValues {
    std::vector<float> f32; // float32 parameters (the usual case)
    Tensor other;           // any other dtype: a detached copy
};

double l2_norm(const Tensor& t);
void save_values(const Tensor& t, SavedValues& out);
// ||t - saved||; NaN when nothing was saved or the sizes differ.
double l2_distance(const Tensor& t, const SavedValues& saved);

} // namespace nnscope::workflows

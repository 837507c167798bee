#pragma once
// Helpers of the tst_transform* tests (goldens: tests/golden/gen_transforms.py).

#include "engine/tensor.h"

#include <algorithm>
#include <cmath>

namespace nnscope::test {

// Largest |a - b| over all elements (same element count), in the image's units.
inline double maxAbsDiff(const Tensor& a, const Tensor& b) {
    const auto x = a.to_vector(), y = b.to_vector();
    double m = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
        m = std::max(m, std::fabs(x[i] - y[i]));
    return m;
}

} // namespace nnscope::test

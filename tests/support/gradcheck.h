#pragma once
// Finite-difference gradient checks in float64, as torch.autograd.gradcheck: the full Jacobian
// from backward (one backward per output element) against central differences (one pair of
// forwards per input element). Use small tensors.

#include "engine/tensor.h"

#include <QString>
#include <QtTest>
#include <functional>
#include <vector>

namespace nnscope::test {

struct GradcheckOptions {
    double eps = 1e-6;
    double atol = 1e-5;
    double rtol = 1e-3;
    // Inputs (by position) that are not differentiated, e.g. integer indices.
    std::vector<std::size_t> non_differentiable;
};

using GradFunction = std::function<Tensor(const std::vector<Tensor>& inputs)>;

// inputs must be float64 (except non-differentiable ones); they are made leaves requiring grad.
// Returns true when every Jacobian entry agrees; otherwise fills `why` with the input index,
// the entry and both values.
bool gradcheck(const GradFunction& fn, const std::vector<Tensor>& inputs, QString* why,
               const GradcheckOptions& options = {});

// Random float64 values in [lo, hi) from a fixed-seed std::mt19937 (test data, not PyTorch's).
Tensor random_double(const Shape& shape, unsigned seed, double lo = -1.0, double hi = 1.0);

} // namespace nnscope::test

#define NNSCOPE_GRADCHECK(fn, inputs, ...)                                                         \
    do {                                                                                           \
        QString nnscope_why_;                                                                      \
        if (!::nnscope::test::gradcheck((fn), (inputs), &nnscope_why_, ##__VA_ARGS__))             \
            QFAIL(qPrintable(nnscope_why_));                                                       \
    } while (false)

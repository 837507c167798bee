#pragma once
// Shared by the torchvision tests: a model from the vision-models folder (or a committed golden)
// and comparisons relative to a tensor's scale.

#include "engine/nn/module.h"
#include "support/golden.h"

#include <QtTest>
#include <cmath>

namespace nnscope::test {

// The largest |value| of t (0 for an empty tensor).
inline double abs_max(const Tensor& t) {
    double m = 0.0;
    for (double v : t.to_vector())
        m = std::max(m, std::abs(v));
    return m;
}

// Every element within rel * (scale of expected) of expected, plus rel of itself.
inline bool close_to_scale(const Tensor& actual, const Tensor& expected, double rel, QString* why) {
    return allclose(actual.to(expected.dtype()), expected, rel * abs_max(expected), rel, why);
}

// Every floating parameter and buffer of `module` converted to float64 in place (the registered
// tensors are replaced), so that the whole model computes in double.
inline void to_float64(nn::Module& module) {
    for (nn::Module* m : module.modules()) {
        for (const auto& name : m->parameter_dict().keys()) {
            const Tensor p = m->parameter(name);
            if (p.defined() && p.is_floating_point())
                m->register_parameter(name, p.detach().to(DType::Float64), p.requires_grad());
        }
        for (const auto& name : m->buffer_dict().keys()) {
            const Tensor b = m->buffer(name);
            if (b.defined() && b.is_floating_point())
                m->register_buffer(name, b.to(DType::Float64), m->is_persistent_buffer(name));
        }
    }
}

} // namespace nnscope::test

#define NNSCOPE_COMPARE_TO_SCALE(actual, expected, rel)                                            \
    do {                                                                                           \
        QString nnscope_why_;                                                                      \
        if (!::nnscope::test::close_to_scale((actual), (expected), (rel), &nnscope_why_))          \
            QFAIL(qPrintable(nnscope_why_));                                                       \
    } while (false)

#include "support/gradcheck.h"

#include "engine/autograd/grad_mode.h"
#include "engine/autograd/node.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace nnscope::test {

namespace {

bool is_listed(const std::vector<std::size_t>& list, std::size_t i) {
    return std::find(list.begin(), list.end(), i) != list.end();
}

// The output of fn as a flat float64 vector, evaluated without recording history.
std::vector<double> evaluate(const GradFunction& fn, const std::vector<Tensor>& inputs) {
    autograd::NoGradGuard no_grad;
    return fn(inputs).to_vector();
}

} // namespace

Tensor random_double(const Shape& shape, unsigned seed, double lo, double hi) {
    std::mt19937 engine(seed);
    std::uniform_real_distribution<double> dist(lo, hi);
    std::vector<double> values(static_cast<std::size_t>(shape_numel(shape)));
    for (auto& v : values)
        v = dist(engine);
    return Tensor::from_vector(values, shape, DType::Float64);
}

bool gradcheck(const GradFunction& fn, const std::vector<Tensor>& original, QString* why,
               const GradcheckOptions& options) {
    // Fresh contiguous leaves, so perturbing one element touches nothing else.
    std::vector<Tensor> inputs;
    for (std::size_t i = 0; i < original.size(); ++i) {
        Tensor leaf = original[i].defined() ? original[i].detach().clone() : Tensor();
        if (leaf.defined() && !is_listed(options.non_differentiable, i)) {
            if (leaf.dtype() != DType::Float64) {
                if (why) *why = QStringLiteral("gradcheck: input %1 is not float64").arg(i);
                return false;
            }
            leaf.requires_grad_(true);
        }
        inputs.push_back(leaf);
    }

    Tensor output = fn(inputs);
    const std::int64_t n_out = output.numel();
    if (!output.requires_grad()) {
        if (why) *why = QStringLiteral("gradcheck: the output does not require grad");
        return false;
    }

    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!inputs[i].defined() || !inputs[i].requires_grad()) continue;
        const std::int64_t n_in = inputs[i].numel();
        // Analytical Jacobian row by row: one backward per output element.
        std::vector<double> analytical(static_cast<std::size_t>(n_out * n_in), 0.0);
        for (std::int64_t o = 0; o < n_out; ++o) {
            std::vector<double> onehot(static_cast<std::size_t>(n_out), 0.0);
            onehot[static_cast<std::size_t>(o)] = 1.0;
            Tensor grad_output = Tensor::from_vector(onehot, output.shape(), output.dtype());
            auto grads = autograd::grad({output}, {grad_output}, {inputs[i]}, true, true);
            if (!grads[0].defined()) continue;
            const auto row = grads[0].to_vector();
            for (std::int64_t k = 0; k < n_in; ++k)
                analytical[static_cast<std::size_t>(o * n_in + k)] =
                    row[static_cast<std::size_t>(k)];
        }
        // Numerical Jacobian column by column: central differences per input element.
        double* data = inputs[i].data_ptr<double>();
        for (std::int64_t k = 0; k < n_in; ++k) {
            const double saved = data[k];
            data[k] = saved + options.eps;
            const auto plus = evaluate(fn, inputs);
            data[k] = saved - options.eps;
            const auto minus = evaluate(fn, inputs);
            data[k] = saved;
            for (std::int64_t o = 0; o < n_out; ++o) {
                const double numerical =
                    (plus[static_cast<std::size_t>(o)] - minus[static_cast<std::size_t>(o)]) /
                    (2 * options.eps);
                const double exact = analytical[static_cast<std::size_t>(o * n_in + k)];
                if (!(std::abs(numerical - exact) <=
                      options.atol + options.rtol * std::abs(numerical))) {
                    if (why)
                        *why = QStringLiteral("Jacobian mismatch for input %1, output element "
                                              "%2, input element %3: numerical %4, analytical "
                                              "%5")
                                   .arg(i)
                                   .arg(o)
                                   .arg(k)
                                   .arg(numerical, 0, 'g', 12)
                                   .arg(exact, 0, 'g', 12);
                    return false;
                }
            }
        }
    }
    return true;
}

} // namespace nnscope::test

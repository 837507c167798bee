#pragma once
// Random tensors and in-place random fills, drawing from a Generator exactly as PyTorch 1.13's
// CPU kernels do (same values for the same seed, dtype and shape).

#include "engine/generator.h"
#include "engine/tensor.h"

namespace nnscope {

Tensor randperm(std::int64_t n, Generator& gen);                                         // int64
Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape, Generator& gen); // int64
Tensor rand(const Shape& shape, Generator& gen, DType dtype = DType::Float32);
Tensor randn(const Shape& shape, Generator& gen, DType dtype = DType::Float32);
// torch.multinomial on a 1-D tensor of non-negative weights.
Tensor multinomial(const Tensor& weights, std::int64_t num_samples, bool replacement,
                   Generator& gen);

// In place, whatever the strides; not recorded by autograd.
void uniform_(Tensor& t, double from, double to, Generator& gen);
void normal_(Tensor& t, double mean, double std, Generator& gen);
void bernoulli_(Tensor& t, double p, Generator& gen);

} // namespace nnscope

#pragma once
// Random tensors and in-place random fills, drawing from a Generator exactly as PyTorch 1.13's
// CPU kernels do (same values for the same seed, dtype and shape). Each function holds
// gen.lock() for all of its draws, so several threads may share one generator (generator.h).

#include "engine/generator.h"
#include "engine/tensor.h"

namespace nnscope {

// What torch.empty((), dtype=torch.int64).random_(generator=g) holds: random64() % 2^63. The
// DataLoader draws its base seed this way before the sampler draws anything.
std::int64_t random_int64(Generator& gen);

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
// What dropout draws on CPU: F.dropout(x, p, true) is x * (mask / float(1 - p)) with
// mask = bernoulli_(empty_like(x), 1 - p), computed in x's dtype; p == 0 and p == 1 draw nothing.
// Dropout2d draws a mask of shape (N, C, 1, 1) the same way.
void bernoulli_(Tensor& t, double p, Generator& gen);

} // namespace nnscope

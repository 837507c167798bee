#pragma once
// Pointwise arithmetic with PyTorch's broadcasting and type promotion, differentiable.

#include "engine/tensor.h"

#include <optional>

namespace nnscope {

// The dtype PyTorch's type promotion gives a binary op of a and b (0-dim tensors defer to
// tensors with dimensions in the same category, as Python scalars do).
DType result_type(const Tensor& a, const Tensor& b);
// Broadcast shape of a and b; throws naming both shapes when they do not broadcast.
Shape broadcast_shapes(const Shape& a, const Shape& b);

Tensor add(const Tensor& a, const Tensor& b, double alpha = 1.0);
Tensor sub(const Tensor& a, const Tensor& b, double alpha = 1.0);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor add(const Tensor& a, double b);
Tensor sub(const Tensor& a, double b);
Tensor mul(const Tensor& a, double b);
Tensor div(const Tensor& a, double b);
Tensor neg(const Tensor& a);
Tensor pow(const Tensor& a, const Tensor& exponent);
Tensor pow(const Tensor& a, double exponent);
Tensor exp(const Tensor& a);
Tensor log(const Tensor& a);
Tensor erf(const Tensor& a); // the Gauss error function, as torch.erf
Tensor sqrt(const Tensor& a);
Tensor abs(const Tensor& a);
Tensor clamp(const Tensor& a, std::optional<double> min, std::optional<double> max);
// cond ? a : b, broadcasting all three; differentiable in a and b.
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);

// Comparisons give bool tensors and are not differentiable.
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor isnan(const Tensor& a);

inline Tensor operator+(const Tensor& a, const Tensor& b) {
    return add(a, b);
}
inline Tensor operator-(const Tensor& a, const Tensor& b) {
    return sub(a, b);
}
inline Tensor operator*(const Tensor& a, const Tensor& b) {
    return mul(a, b);
}
inline Tensor operator/(const Tensor& a, const Tensor& b) {
    return div(a, b);
}
inline Tensor operator+(const Tensor& a, double b) {
    return add(a, b);
}
inline Tensor operator-(const Tensor& a, double b) {
    return sub(a, b);
}
inline Tensor operator*(const Tensor& a, double b) {
    return mul(a, b);
}
inline Tensor operator/(const Tensor& a, double b) {
    return div(a, b);
}
inline Tensor operator*(double a, const Tensor& b) {
    return mul(b, a);
}
inline Tensor operator-(const Tensor& a) {
    return neg(a);
}

} // namespace nnscope

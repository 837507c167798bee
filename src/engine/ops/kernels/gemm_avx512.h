#pragma once
// Internal: matrix products with AVX-512 kernels, chosen at run time when the CPU has AVX-512F
// (the builds target x86-64-v3 or baseline x86-64, so these functions carry their own target
// attribute and nothing else is compiled for AVX-512). Two layouts are covered without packing:
// - B with unit column stride (row-major), A with any strides: each tile of 8 rows x 32 columns
//   of C sums, over k, a broadcast element of A times two vectors of one row of B;
// - B with unit row stride (its columns contiguous, e.g. a transposed weight) and A row-major:
//   each 4x4 tile of C is 16 dot products over contiguous k, vectorised along k and reduced at
//   the end.
// Everything else (other strides, both operands column-major) stays with Eigen (gemm.cpp).

#include "engine/ops/kernels/gemm.h"

namespace nnscope::kernels {

// True when the CPU and the operating system support AVX-512F and neither NNSCOPE_NO_AVX512 nor
// NNSCOPE_NO_AVX2 is set (checked once).
bool avx512_available();

// c = beta * c + alpha * a·b as gemm() defines it. Returns false, touching nothing, when the
// layout is not one of the two above or AVX-512 is unavailable; the caller then tries the AVX2
// kernels (gemm_avx2.h), then Eigen.
template <class T>
bool gemm_avx512(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta);

// Eigen's product alone, bypassing the AVX-512 kernels: the reference the tests compare with.
template <class T>
void gemm_eigen(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha = T(1),
                T beta = T(0));

} // namespace nnscope::kernels

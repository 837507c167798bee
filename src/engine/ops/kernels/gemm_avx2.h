#pragma once
// Internal: matrix products with AVX2 + FMA kernels, the counterparts of gemm_avx512.h for CPUs
// without AVX-512 (most desktops). Chosen at run time like those: the baseline build targets
// plain x86-64, so only these functions carry a target attribute. The same two layouts, no
// packing, tiles sized for the 16 ymm registers:
// - B with unit column stride (row-major), A with any strides: tiles of 4 rows x 24 columns
//   (float; 12 for double) of C, each the sum over k of a broadcast element of A times three
//   vectors of one row of B; narrower column tails take taller tiles (6 x 2 vectors, 12 x 1) so
//   that every tile keeps 12 accumulators busy.
// - B with unit row stride and A row-major: tiles of 4 rows x 3 columns of C, 12 dot products
//   over contiguous k, vectorised along k and reduced at the end.
// In the broadcast kernel every element of C is one chain of FMAs over k, in order, whatever
// the tile or the vector width, so its results are the same bytes as the AVX-512 kernel's.

#include "engine/ops/kernels/gemm.h"

namespace nnscope::kernels {

// True when the CPU and the operating system support AVX2 and FMA and NNSCOPE_NO_AVX2 is not
// set (checked once).
bool avx2_available();

// c = beta * c + alpha * a·b as gemm() defines it. Returns false, touching nothing, when the
// layout is not one of the two above or the AVX2 kernels are unavailable.
template <class T>
bool gemm_avx2(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta);

} // namespace nnscope::kernels

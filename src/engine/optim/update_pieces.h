#pragma once
// Internal: how an optimizer's elementwise update is spread over the engine's threads.
//
// The updates are Eigen expressions, and Eigen computes a few elements of each one with scalar
// code (before the first aligned element, after the last whole vector) whose rounding may differ
// from the vector code's (the compiler may fuse a scalar a·b + c). Cutting a parameter anywhere
// would move those scalar elements; cutting it only at 32-byte aligned element indices, and in
// lengths of whole vectors, keeps every element on the path a serial update takes, so the bytes
// do not depend on the team.

#include "engine/parallel.h"

#include <cstdint>
#include <initializer_list>

namespace nnscope::optim::detail {

// Elements per block: cuts fall on block boundaries (a multiple of any vector width).
constexpr std::int64_t kUpdateBlock = 1024;

// Calls body(begin, end) on pieces of [0, n) of at least `grain` elements, cut at multiples of
// kUpdateBlock, when every array starts 32-byte aligned; otherwise body(0, n) on this thread.
template <class F>
void for_update_pieces(std::int64_t n, std::int64_t grain,
                       std::initializer_list<const void*> arrays, F&& body) {
    bool aligned = true;
    for (const void* p : arrays)
        if (p && reinterpret_cast<std::uintptr_t>(p) % 32 != 0) aligned = false;
    if (!aligned || n <= grain) {
        body(std::int64_t{0}, n);
        return;
    }
    const std::int64_t blocks = (n + kUpdateBlock - 1) / kUpdateBlock;
    const std::int64_t grain_blocks = (grain + kUpdateBlock - 1) / kUpdateBlock;
    parallel::parallel_for(blocks, grain_blocks, [&](std::int64_t first, std::int64_t last) {
        const std::int64_t end = last * kUpdateBlock < n ? last * kUpdateBlock : n;
        body(first * kUpdateBlock, end);
    });
}

} // namespace nnscope::optim::detail

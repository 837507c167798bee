#pragma once
// Internal to conv.cpp and conv_backward.cpp: the shape of one 2-D convolution, how its items
// are cut into chunks and reduction groups, and how those are spread over the engine's threads.
//
// Threads never change a result's bytes. Forward and the input gradient compute every item on
// its own, so any cut gives the same values. The weight gradient is a sum over items: its
// chunks are cut into reduction_groups() groups of consecutive chunks, fixed by the shape
// alone; each group sums its chunks in order into its own partial and the partials are added in
// group order, whether the groups ran on one thread or on several.

#include "engine/ops/kernels/gemm_split.h"
#include "engine/ops/kernels/im2col.h"
#include "engine/parallel.h"
#include "engine/tensor.h"

#include <algorithm>
#include <cstdint>

namespace nnscope::conv_impl {

using kernels::ConvGeometry;

// Elements of column matrix per chunk (128 KB of float32): one item of a 16-channel 3x3 layer
// at 14x14, so the GEMM writes straight into the output; measured best among 4K..4M.
inline constexpr std::int64_t column_budget = 32 * 1024;

// Below this many multiply-adds a whole convolution stays on the calling thread (waking the
// team costs a few microseconds) and its weight gradient keeps the plain serial order.
inline constexpr std::int64_t parallel_min_macs = std::int64_t{1} << 20;

// At most this many weight-gradient partials, and at most this many bytes of them: enough
// groups to keep 2..8 threads busy, few enough that the partials stay in the caches.
inline constexpr std::int64_t max_reduction_groups = 8;
inline constexpr std::int64_t partial_budget_bytes = std::int64_t{4} << 20;

struct ConvShape {
    std::int64_t batch, in_channels, out_channels, groups;
    ConvGeometry geo;

    std::int64_t group_in() const { return in_channels / groups; }
    std::int64_t group_out() const { return out_channels / groups; }
    std::int64_t kdim() const { return group_in() * geo.kernel_h * geo.kernel_w; }
    std::int64_t item_in() const { return in_channels * geo.in_h * geo.in_w; }
    std::int64_t item_out() const { return out_channels * geo.positions(); }
    // Multiply-adds of the forward pass (each backward product costs as many).
    std::int64_t macs() const { return batch * item_out() * kdim(); }
    // A 1x1 kernel without stride or padding reads the input itself as its column matrix.
    bool pointwise() const {
        return geo.kernel_h == 1 && geo.kernel_w == 1 && geo.stride_h == 1 && geo.stride_w == 1 &&
               geo.pad_h == 0 && geo.pad_w == 0;
    }
    // One input channel per group: direct convolution (kernels/direct_conv.h).
    bool direct() const { return group_in() == 1 && !pointwise(); }
    // Items per chunk of the im2col path (1 on the direct and pointwise paths).
    std::int64_t chunk() const {
        if (direct() || pointwise()) return 1;
        const std::int64_t per_item = std::max<std::int64_t>(kdim() * geo.positions(), 1);
        return std::clamp<std::int64_t>(column_budget / per_item, 1,
                                        std::max<std::int64_t>(batch, 1));
    }
    std::int64_t chunks() const { return (batch + chunk() - 1) / chunk(); }
    // Reduction groups of the weight gradient, whose partials have partial_bytes each: from the
    // shape alone, never from the thread count.
    std::int64_t reduction_groups(std::int64_t partial_bytes) const {
        const std::int64_t n = chunks();
        if (n < 2 || macs() < parallel_min_macs) return 1;
        const std::int64_t by_memory = std::max<std::int64_t>(
            1, partial_budget_bytes / std::max<std::int64_t>(partial_bytes, 1));
        return std::min({max_reduction_groups, n, by_memory});
    }
    // The chunks [first, end) of reduction group r of `count`.
    std::int64_t group_begin(std::int64_t r, std::int64_t count) const {
        return chunks() * r / count;
    }
};

// Runs body(begin, end) over `pieces` pieces sharing the convolution's work about equally:
// spread over the threads (each thread one contiguous range; inside, a region, its GEMMs stay
// serial), or all on the calling thread, where each GEMM (gemm_inside) splits over the threads
// instead. The pieces win unless so few that threads would idle while the GEMMs are big enough
// to split well (batch 1 is one piece). A scheduling choice only: the bytes are the same.
template <class F>
void for_pieces(const ConvShape& s, std::int64_t pieces, bool gemm_inside, F&& body) {
    const int threads = parallel::num_threads();
    bool spread = threads > 1 && pieces > 1 && s.macs() >= parallel_min_macs;
    if (spread && gemm_inside && pieces % threads != 0 && pieces < 2 * threads)
        spread = s.macs() / pieces < kernels::gemm_parallel_min_macs * threads;
    // The determinism tests' switch: small convolutions are cut across the team too.
    if (threads > 1 && pieces > 1 && parallel::force_split()) spread = true;
    if (spread)
        // A fresh lambda: parallel_for takes its body as an rvalue.
        parallel::parallel_for(pieces, 1, [&](std::int64_t b, std::int64_t e) { body(b, e); });
    else
        body(std::int64_t{0}, pieces);
}

template <class T> T* scratch(Tensor& holder, std::int64_t count) {
    holder = Tensor::empty({std::max<std::int64_t>(count, 1)}, DTypeOf<T>::value);
    return holder.data_ptr<T>();
}

template <class T> T* zeroed_scratch(Tensor& holder, std::int64_t count) {
    holder = Tensor::zeros({std::max<std::int64_t>(count, 1)}, DTypeOf<T>::value);
    return holder.data_ptr<T>();
}

// acc[i] += part[i] for i < n (elementwise: any cut over the threads gives the same bytes).
template <class T> void add_into(T* acc, const T* part, std::int64_t n) {
    parallel::parallel_for(n, std::int64_t{1} << 16, [&](std::int64_t b, std::int64_t e) {
        for (std::int64_t i = b; i < e; ++i)
            acc[i] += part[i];
    });
}

// gx, gw, gb may be null when not wanted; gw and gb arrive zeroed, gx zeroed only for the
// direct path (the others write it chunk by chunk). Defined in conv_backward.cpp.
template <class T>
void conv_backward(const T* x, const T* w, const T* g, T* gx, T* gw, T* gb, const ConvShape& s);

} // namespace nnscope::conv_impl

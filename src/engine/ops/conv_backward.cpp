// The backward pass of 2-D convolution (conv.cpp has the forward pass and the autograd node).
// The input gradient of a chunk depends on that chunk alone, so chunks spread over the threads.
// The weight gradient is a sum over all items: it is cut into the reduction groups of
// conv_impl.h, each summing its chunks in order into its own partial, and the partials are
// added in group order afterwards, so every thread count gives the same bytes. Each group
// computes both gradients of its chunks, sharing one column matrix.

#include "engine/ops/conv_impl.h"
#include "engine/ops/kernels/direct_conv.h"
#include "engine/ops/kernels/gemm.h"
#include "engine/ops/kernels/transpose.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace nnscope::conv_impl {

namespace {

// gb[c] += the sums of channel c's positions, item after item. Channels are independent, so a
// range of channels per thread keeps the serial loop's bytes.
template <class T> void bias_grad(const T* g, T* gb, const ConvShape& s) {
    const std::int64_t P = s.geo.positions();
    auto channels = [&](std::int64_t c0, std::int64_t c1) {
        for (std::int64_t n = 0; n < s.batch; ++n)
            for (std::int64_t c = c0; c < c1; ++c)
                gb[c] += kernels::sum_of(g + n * s.item_out() + c * P, P);
    };
    // Each channel reads batch·P values; below a few thousand, not worth a thread.
    const std::int64_t grain =
        std::max<std::int64_t>(1, 4096 / std::max<std::int64_t>(s.batch * P, 1));
    parallel::parallel_for(s.out_channels, grain, std::move(channels));
}

// One input channel per group. The partial holds, per output channel and tap, the sums of
// direct_conv.h (one per lane or column); each reduction group has its own.
template <class T>
void direct_backward(const T* x, const T* w, const T* g, T* gx, T* gw, const ConvShape& s) {
    const std::int64_t cout = s.group_out();
    if (!gw) {
        for_pieces(s, s.batch * s.groups, false, [&](std::int64_t first, std::int64_t last) {
            kernels::direct_conv_backward<T>(x, w, g, gx, nullptr, first, last, s.groups, cout,
                                             s.geo);
        });
        return;
    }
    const std::int64_t size = kernels::direct_partial_size<T>(s.out_channels, s.geo);
    const std::int64_t groups = s.reduction_groups(size * std::int64_t{sizeof(T)});
    Tensor holder;
    T* partials = zeroed_scratch<T>(holder, groups * size);
    for_pieces(s, groups, false, [&](std::int64_t r0, std::int64_t r1) {
        for (std::int64_t r = r0; r < r1; ++r)
            kernels::direct_conv_backward<T>(
                x, w, g, gx, partials + r * size, s.group_begin(r, groups) * s.groups,
                s.group_begin(r + 1, groups) * s.groups, s.groups, cout, s.geo);
    });
    for (std::int64_t r = 1; r < groups; ++r)
        add_into(partials, partials + r * size, size);
    kernels::direct_fold_weight_grad(partials, gw, s.out_channels, s.geo);
}

// Without a weight gradient every chunk is a group of its own: nothing is summed across them.
std::int64_t groups_for(const ConvShape& s, bool weight_grad, std::int64_t partial_bytes) {
    return weight_grad ? s.reduction_groups(partial_bytes) : s.chunks();
}

// A 1x1 kernel without stride or padding: the input is its own column matrix. Group 0 sums
// straight into gw (which arrives zeroed), the others into partials added to it in order.
template <class T>
void pointwise_backward(const T* x, const T* w, const T* g, T* gx, T* gw, const ConvShape& s) {
    const std::int64_t P = s.geo.positions(), K = s.kdim(), cin = s.group_in(),
                       cout = s.group_out(), plane = s.geo.in_h * s.geo.in_w;
    const std::int64_t gw_size = s.out_channels * K;
    const std::int64_t groups = groups_for(s, gw != nullptr, gw_size * std::int64_t{sizeof(T)});
    Tensor holder;
    T* partials = gw && groups > 1 ? zeroed_scratch<T>(holder, (groups - 1) * gw_size) : nullptr;
    auto partial = [&](std::int64_t r) -> T* {
        return !gw ? nullptr : r == 0 ? gw : partials + (r - 1) * gw_size;
    };
    for_pieces(s, groups, true, [&](std::int64_t r0, std::int64_t r1) {
        for (std::int64_t r = r0; r < r1; ++r) {
            T* acc = partial(r);
            for (std::int64_t n = s.group_begin(r, groups); n < s.group_begin(r + 1, groups); ++n)
                for (std::int64_t grp = 0; grp < s.groups; ++grp) {
                    const auto gg =
                        kernels::row_major(g + n * s.item_out() + grp * cout * P, cout, P, P);
                    const auto xg =
                        kernels::row_major(x + n * s.item_in() + grp * cin * plane, cin, P, P);
                    const auto wg = kernels::row_major(w + grp * cout * K, cout, K, K);
                    if (acc)
                        kernels::gemm<T>(gg, xg.transposed(), acc + grp * cout * K, K, T(1), T(1));
                    if (gx)
                        kernels::gemm<T>(wg.transposed(), gg,
                                         gx + n * s.item_in() + grp * cin * plane, P);
                }
        }
    });
    for (std::int64_t r = 1; r < groups; ++r)
        add_into(gw, partial(r), gw_size);
}

template <class T>
void im2col_backward(const T* x, const T* w, const T* g, T* gx, T* gw, const ConvShape& s) {
    const std::int64_t P = s.geo.positions(), K = s.kdim(), cin = s.group_in(),
                       cout = s.group_out(), plane = s.geo.in_h * s.geo.in_w;
    const std::int64_t nb = s.chunk(), gw_size = s.out_channels * K;
    // With the AVX-512 or AVX2 kernels the weight gradient is summed transposed, gwᵀ[K, cout] +=
    // col · ggᵀ: both operands row-major, so the GEMM runs the broadcast kernel instead of dot
    // products over positions that end in a horizontal sum each (in the cnn's profile, the
    // weight gradient's GEMM went from the costliest of the three to the same cost per flop).
    const bool transposed_gw = gw && kernels::fast_gemm_available();
    const std::int64_t groups = groups_for(s, gw != nullptr, gw_size * std::int64_t{sizeof(T)});
    // Partials: every group's transposed sum, or group 0 straight into gw and the others apart.
    const std::int64_t extra = !gw ? 0 : transposed_gw ? groups : groups - 1;
    Tensor partial_holder;
    T* partials = extra > 0 ? zeroed_scratch<T>(partial_holder, extra * gw_size) : nullptr;
    auto partial = [&](std::int64_t r) -> T* {
        if (!gw) return nullptr;
        if (transposed_gw) return partials + r * gw_size;
        return r == 0 ? gw : partials + (r - 1) * gw_size;
    };
    for_pieces(s, groups, true, [&](std::int64_t r0, std::int64_t r1) {
        Tensor col_holder, gbuf_holder, ggt_holder;
        T* col = scratch<T>(col_holder, K * nb * P);
        T* gbuf = nb > 1 ? scratch<T>(gbuf_holder, s.out_channels * nb * P) : nullptr;
        T* ggt = transposed_gw ? scratch<T>(ggt_holder, nb * P * cout) : nullptr;
        for (std::int64_t r = r0; r < r1; ++r) {
            T* acc = partial(r);
            for (std::int64_t chunk = s.group_begin(r, groups);
                 chunk < s.group_begin(r + 1, groups); ++chunk) {
                const std::int64_t n0 = chunk * nb;
                const std::int64_t items = std::min(nb, s.batch - n0), ld = items * P;
                // The chunk's output gradient as [out_channels, items·P], matching the columns.
                const T* gt = g + n0 * s.item_out();
                if (items > 1) {
                    for (std::int64_t q = 0; q < items; ++q)
                        for (std::int64_t c = 0; c < s.out_channels; ++c)
                            std::memcpy(gbuf + c * ld + q * P, g + (n0 + q) * s.item_out() + c * P,
                                        sizeof(T) * P);
                    gt = gbuf;
                }
                if (gx) std::fill(gx + n0 * s.item_in(), gx + (n0 + items) * s.item_in(), T(0));
                for (std::int64_t grp = 0; grp < s.groups; ++grp) {
                    const auto gg = kernels::row_major(gt + grp * cout * ld, cout, ld, ld);
                    const T* xg = x + n0 * s.item_in() + grp * cin * plane;
                    if (acc) {
                        kernels::im2col(xg, s.item_in(), items, cin, s.geo, col, ld);
                        const auto cols = kernels::row_major<T>(col, K, ld, ld);
                        if (transposed_gw) {
                            kernels::transpose(gg.data, ld, cout, ld, ggt, cout);
                            kernels::gemm<T>(cols, kernels::row_major<T>(ggt, ld, cout, cout),
                                             acc + grp * K * cout, cout, T(1), T(1));
                        } else {
                            kernels::gemm<T>(gg, cols.transposed(), acc + grp * cout * K, K, T(1),
                                             T(1));
                        }
                    }
                    if (gx) {
                        const auto wg = kernels::row_major(w + grp * cout * K, cout, K, K);
                        kernels::gemm<T>(wg.transposed(), gg, col, ld);
                        kernels::col2im(col, ld, items, cin, s.geo,
                                        gx + n0 * s.item_in() + grp * cin * plane, s.item_in());
                    }
                }
            }
        }
    });
    if (!gw) return;
    T* total = partial(0);
    for (std::int64_t r = 1; r < groups; ++r)
        add_into(total, partial(r), gw_size);
    if (transposed_gw)
        for (std::int64_t grp = 0; grp < s.groups; ++grp)
            for (std::int64_t c = 0; c < cout; ++c)
                for (std::int64_t r = 0; r < K; ++r)
                    gw[(grp * cout + c) * K + r] += total[(grp * K + r) * cout + c];
}

} // namespace

template <class T>
void conv_backward(const T* x, const T* w, const T* g, T* gx, T* gw, T* gb, const ConvShape& s) {
    if (gb) bias_grad(g, gb, s);
    if (!gx && !gw) return;
    if (s.direct())
        direct_backward(x, w, g, gx, gw, s);
    else if (s.pointwise())
        pointwise_backward(x, w, g, gx, gw, s);
    else
        im2col_backward(x, w, g, gx, gw, s);
}

template void conv_backward<float>(const float*, const float*, const float*, float*, float*, float*,
                                   const ConvShape&);
template void conv_backward<double>(const double*, const double*, const double*, double*, double*,
                                    double*, const ConvShape&);

} // namespace nnscope::conv_impl

// Random tensors drawn the way PyTorch 1.13's CPU kernels draw them, so the same seed gives the
// same bits. Every claim below was checked against Debian's torch 1.13.1 (which runs ATen's AVX2
// kernels and has no MKL) by tests/golden/gen_generator.py and its checks.
//
// Findings, per function:
// - Uniform numbers: float32 takes the low 24 bits of one random() times 2^-24, float64 the low
//   53 bits of one random64() times 2^-53 (at::uniform_real_distribution). uniform_(a, b) then
//   returns fma(x, b - a, a) in double (b - a in the tensor's dtype): ATen's kernel file is
//   compiled with -mfma and GCC contracts that multiply-add. For float32 the fused and unfused
//   forms agree (a 24-bit x times a float is exact in double); for float64 they differ in about
//   half of all draws, and only the fused one matches PyTorch.
// - normal_ has three paths (aten/src/ATen/native/cpu/DistributionTemplates.h, normal_kernel):
//   * float32, contiguous, numel >= 16: normal_fill_AVX2. It first fills the whole tensor with
//     float uniforms, one random() each; then every block of 16 becomes Box-Muller pairs
//     (j, j + 8): u1 = 1 - data[j], u2 = data[j + 8], radius = sqrt(-2 log u1), theta =
//     2 pi u2, data[j] = radius cos theta, data[j + 8] = radius sin theta, each then
//     fma(., std, mean). When numel % 16 != 0 the last 16 elements are drawn again (16 more
//     random()) and recomputed, overwriting the tail of the previous blocks. log, sin and cos
//     are avx_mathfun.h's log256_ps and sincos256_ps (cephes polynomials), not libm; GCC fused
//     each multiply-add of those polynomials into an FMA. The port below (log_avx2,
//     sincos_avx2) reproduces every bit of 2^21 PyTorch draws; the variants we tried with some
//     of these FMAs left out got 31 to 327 of them wrong.
//   * float64, contiguous, numel >= 16: normal_fill<double>, the same blocking with double
//     uniforms (random64()) and libm's log, cos and sin in double; fma(r cos, std, mean).
//   * anything else (numel < 16, or not contiguous, either dtype): per element in memory order,
//     at::normal_distribution<double>: u1, u2 from two random64(), r = sqrt(-2 log(1 - u2)),
//     theta = 2 pi u1, returns r cos theta and caches r sin theta in the generator for the next
//     scalar draw (of either dtype, in a later call too; manual_seed clears it; the
//     vectorised paths neither use nor clear it). Result fma(z, std, mean), cast to the dtype.
//   ATen's AVX512 kernels give the same bits as the AVX2 ones (checked with
//   ATEN_CPU_CAPABILITY=avx512). Its DEFAULT kernels (ATEN_CPU_CAPABILITY=default, or a CPU
//   without AVX2) run the scalar float normal_fill instead: about 40% of float32 randn values of
//   16+ elements then differ from ours, by a few ulps.
// - bernoulli_(p) on any dtype: without MKL, templates::cpu::bernoulli_kernel: per element in
//   memory order, one random64() -> 53-bit double u, value (u < p). (MKL builds use
//   viRngBernoulli seeded from one random() instead: a different stream.)
// - F.dropout(x, p, training) on CPU is _dropout_impl: noise = empty_like(x).bernoulli_(1 - p),
//   noise.div_(1 - p) (float division by the float-rounded 1 - p), then x * noise. p == 0 and
//   p == 1 draw nothing. Dropout2d draws its noise of shape (N, C, 1, 1) the same way.
// - randint(low, high): per element one random() when high - low < 2^32, else one random64(),
//   then low + value % (high - low), in uint64 arithmetic.
// - randperm(n): for every n (checked 0..69, 100, 1000, 5000, 100000): start from 0..n-1 and
//   for i in 0..n-2 swap i with i + random() % (n - i).
// - multinomial without replacement: q = exponential_(1) on a tensor like the weights (per
//   element -log(1 - u), u from random64(), cast to the dtype), then the indices of the
//   num_samples largest weights / q (topk, in descending order). With replacement, even for a
//   single sample: cumulative sums in the weights' dtype divided by their total, the last one
//   set to 1, then per sample one 53-bit uniform and a binary search for the first bucket not
//   below it.
// - Fills walk the tensor in memory order, as TensorIterator does for a nullary op: dimensions
//   sorted by stride, largest outermost. A transposed tensor fills its storage front to back.

#include "engine/random.h"

#include "engine/ops/strided.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>

namespace nnscope {

namespace {

// at::uniform_real_distribution<float>(0, 1) and <double>(0, 1) without the affine step.
double uniform24(Generator& gen) {
    return static_cast<double>(gen.random() & ((1U << 24) - 1)) * 0x1.0p-24;
}
double uniform53(Generator& gen) {
    return static_cast<double>(gen.random64() & ((std::uint64_t{1} << 53) - 1)) * 0x1.0p-53;
}

template <class T> double uniform_unit(Generator& gen) {
    if constexpr (std::is_same_v<T, float>)
        return uniform24(gen);
    else
        return uniform53(gen);
}

// Calls fn(T* element) for every element of t in memory order (see the header comment).
template <class T, class Fn>
void for_each_in_memory_order(const Tensor& t, const char* op, Fn&& fn) {
    Shape shape;
    Shape strides;
    for (std::int64_t d = 0; d < t.dim(); ++d) {
        if (t.size(d) == 1) continue; // cannot change the order
        if (t.size(d) == 0) return;
        if (t.stride(d) == 0)
            throw std::invalid_argument(std::string(op) +
                                        ": unsupported operation: more than one element of the "
                                        "written-to tensor refers to a single memory location");
        shape.push_back(t.size(d));
        strides.push_back(t.stride(d));
    }
    // Stable, so equal strides keep their logical order as TensorIterator's insertion sort does.
    std::vector<std::size_t> perm(shape.size());
    std::iota(perm.begin(), perm.end(), 0);
    std::stable_sort(perm.begin(), perm.end(), [&](std::size_t a, std::size_t b) {
        return std::abs(strides[a]) > std::abs(strides[b]);
    });
    Shape sorted_shape;
    Shape sorted_strides;
    for (std::size_t p : perm) {
        sorted_shape.push_back(shape[p]);
        sorted_strides.push_back(strides[p]);
    }
    T* base = reinterpret_cast<T*>(t.storage()->data());
    detail::for_each_strided<1>(sorted_shape, {sorted_strides.data()}, {t.offset()},
                                [&](const std::array<std::int64_t, 1>& o) { fn(base + o[0]); });
}

// ---- normal_: avx_mathfun.h's log256_ps and sincos256_ps, one lane at a time ---------------

float bits_to_float(std::uint32_t b) {
    float f;
    std::memcpy(&f, &b, sizeof f);
    return f;
}
std::uint32_t float_to_bits(float f) {
    std::uint32_t b;
    std::memcpy(&b, &f, sizeof b);
    return b;
}

// avx_mathfun.h declares its constants as float arrays initialised from double literals.
constexpr float f32(double v) {
    return static_cast<float>(v);
}

// Cephes logf as log256_ps computes it. Every std::fma stands where GCC fused a multiply and
// an add of the vector code; the plain products stay unfused there too.
float log_avx2(float x) {
    const bool invalid = x <= 0.0f;
    x = std::max(x, bits_to_float(0x00800000U)); // no denormals
    const auto exponent = static_cast<std::int32_t>(float_to_bits(x) >> 23) - 0x7f;
    x = bits_to_float((float_to_bits(x) & ~0x7f800000U) | float_to_bits(0.5f));
    float e = static_cast<float>(exponent) + 1.0f;
    const bool small = x < f32(0.707106781186547524);
    const float tmp = small ? x : 0.0f;
    x = x - 1.0f;
    e = e - (small ? 1.0f : 0.0f);
    x = x + tmp;
    const float z = x * x;
    float y = f32(7.0376836292E-2);
    for (float c :
         {f32(-1.1514610310E-1), f32(1.1676998740E-1), f32(-1.2420140846E-1), f32(1.4249322787E-1),
          f32(-1.6668057665E-1), f32(2.0000714765E-1), f32(-2.4999993993E-1), f32(3.3333331174E-1)})
        y = std::fma(y, x, c);
    y = y * x;
    y = std::fma(y, z, e * f32(-2.12194440e-4));
    y = std::fma(-z, 0.5f, y);
    x = std::fma(e, f32(0.693359375), x + y);
    return invalid ? std::numeric_limits<float>::quiet_NaN() : x;
}

void sincos_avx2(float x, float& sin_out, float& cos_out) {
    std::uint32_t sign_sin = float_to_bits(x) & 0x80000000U;
    x = std::fabs(x);
    auto j = static_cast<std::int32_t>(x * f32(1.27323954473516)); // 4 / pi, truncated
    j = (j + 1) & ~1;
    const auto y = static_cast<float>(j);
    const std::uint32_t swap_sin = static_cast<std::uint32_t>(j & 4) << 29;
    const bool cos_poly_for_sin = (j & 2) != 0;
    // Extended precision modular arithmetic: x = ((x - y DP1) - y DP2) - y DP3.
    x = std::fma(y, f32(-0.78515625), x);
    x = std::fma(y, f32(-2.4187564849853515625e-4), x);
    x = std::fma(y, f32(-3.77489497744594108e-8), x);
    const std::uint32_t sign_cos = static_cast<std::uint32_t>(~(j - 2) & 4) << 29;
    sign_sin ^= swap_sin;

    const float z = x * x;
    float yc = f32(2.443315711809948E-005);
    yc = std::fma(yc, z, f32(-1.388731625493765E-003));
    yc = std::fma(yc, z, f32(4.166664568298827E-002));
    yc = yc * z;
    yc = std::fma(yc, z, -(z * 0.5f));
    yc = yc + 1.0f;
    float ys = f32(-1.9515295891E-4);
    ys = std::fma(ys, z, f32(8.3321608736E-3));
    ys = std::fma(ys, z, f32(-1.6666654611E-1));
    ys = ys * z;
    ys = std::fma(ys, x, x);
    // Select as the vector code does, with masked values and additions of +0 (which turn -0
    // into +0).
    const float ysin2 = cos_poly_for_sin ? 0.0f : ys;
    const float ysin1 = cos_poly_for_sin ? yc : 0.0f;
    const float s = ysin1 + ysin2;
    const float c = (yc - ysin1) + (ys - ysin2);
    sin_out = bits_to_float(float_to_bits(s) ^ sign_sin);
    cos_out = bits_to_float(float_to_bits(c) ^ sign_cos);
}

// Box-Muller over 16 uniforms in place: pairs (j, j + 8).
void normal_fill_16(float* data, float mean, float std) {
    const auto two_pi = static_cast<float>(2.0f * std::numbers::pi);
    for (int j = 0; j < 8; ++j) {
        const float radius = std::sqrt(-2.0f * log_avx2(1.0f - data[j]));
        float s;
        float c;
        sincos_avx2(two_pi * data[j + 8], s, c);
        data[j] = std::fma(radius * c, std, mean);
        data[j + 8] = std::fma(radius * s, std, mean);
    }
}

void normal_fill_16(double* data, double mean, double std) {
    for (int j = 0; j < 8; ++j) {
        const double u1 = 1 - data[j]; // [0, 1) -> (0, 1] for log
        const double radius = std::sqrt(-2 * std::log(u1));
        const double theta = 2.0 * std::numbers::pi * data[j + 8];
        data[j] = std::fma(radius * std::cos(theta), std, mean);
        data[j + 8] = std::fma(radius * std::sin(theta), std, mean);
    }
}

// normal_fill_AVX2 / normal_fill<double>: contiguous, at least 16 elements.
template <class T> void normal_fill(T* data, std::int64_t size, T mean, T std, Generator& gen) {
    for (std::int64_t i = 0; i < size; ++i)
        data[i] = static_cast<T>(uniform_unit<T>(gen));
    for (std::int64_t i = 0; i + 16 <= size; i += 16)
        normal_fill_16(data + i, mean, std);
    if (size % 16 != 0) {
        // PyTorch redraws the last 16 and recomputes them.
        T* tail = data + size - 16;
        for (int i = 0; i < 16; ++i)
            tail[i] = static_cast<T>(uniform_unit<T>(gen));
        normal_fill_16(tail, mean, std);
    }
}

// at::normal_distribution<double>, with the generator's cached second value.
double normal_scalar(Generator& gen) {
    auto& cached = gen.next_double_normal_sample();
    if (cached) {
        const double z = *cached;
        cached.reset();
        return z;
    }
    const double u1 = uniform53(gen);
    const double u2 = uniform53(gen);
    const double r = std::sqrt(-2.0 * std::log(1.0 - u2));
    const double theta = 2.0 * std::numbers::pi * u1;
    cached = r * std::sin(theta);
    return r * std::cos(theta);
}

std::string num(double v) {
    return std::to_string(v);
}

} // namespace

// ---- in-place fills ----------------------------------------------------------------------------

void uniform_(Tensor& t, double from, double to, Generator& gen) {
    if (!(from <= to))
        throw std::invalid_argument(
            "uniform_ expects to return a [from, to) range, but found from=" + num(from) +
            " > to=" + num(to));
    dispatch_floating(t.dtype(), "uniform_", [&](auto tag) {
        using T = decltype(tag);
        const auto lo = static_cast<T>(from);
        const auto hi = static_cast<T>(to);
        if (!(hi - lo <= std::numeric_limits<T>::max()))
            throw std::invalid_argument(
                "uniform_ expects to-from <= std::numeric_limits<" +
                std::string(dtype_name(t.dtype())) + ">::max(), but found to=" + num(to) +
                " and from=" + num(from) + " which result in to-from to exceed the limit");
        const auto range = static_cast<double>(static_cast<T>(hi - lo));
        const auto hold = gen.lock();
        for_each_in_memory_order<T>(t, "uniform_", [&](T* p) {
            *p = static_cast<T>(std::fma(uniform_unit<T>(gen), range, static_cast<double>(lo)));
        });
    });
}

void normal_(Tensor& t, double mean, double std, Generator& gen) {
    if (!(std >= 0.0))
        throw std::invalid_argument("normal expects std >= 0.0, but found std " + num(std));
    dispatch_floating(t.dtype(), "normal_", [&](auto tag) {
        using T = decltype(tag);
        const std::int64_t size = t.numel();
        const auto hold = gen.lock();
        if (size >= 16 && t.is_contiguous()) {
            normal_fill<T>(t.data_ptr<T>(), size, static_cast<T>(mean), static_cast<T>(std), gen);
            return;
        }
        for_each_in_memory_order<T>(t, "normal_", [&](T* p) {
            *p = static_cast<T>(std::fma(normal_scalar(gen), std, mean));
        });
    });
}

void bernoulli_(Tensor& t, double p, Generator& gen) {
    if (!(p >= 0.0 && p <= 1.0))
        throw std::invalid_argument("bernoulli_ expects p to be in [0, 1], but got p=" + num(p));
    dispatch_all(t.dtype(), "bernoulli_", [&](auto tag) {
        using T = decltype(tag);
        const auto hold = gen.lock();
        for_each_in_memory_order<T>(t, "bernoulli_",
                                    [&](T* e) { *e = static_cast<T>(uniform53(gen) < p); });
    });
}

// ---- factories ---------------------------------------------------------------------------------

Tensor rand(const Shape& shape, Generator& gen, DType dtype) {
    Tensor t = Tensor::empty(shape, dtype);
    uniform_(t, 0.0, 1.0, gen);
    return t;
}

Tensor randn(const Shape& shape, Generator& gen, DType dtype) {
    Tensor t = Tensor::empty(shape, dtype);
    normal_(t, 0.0, 1.0, gen);
    return t;
}

Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape, Generator& gen) {
    if (!(low < high))
        throw std::invalid_argument("random_ expects 'from' to be less than 'to', but got from=" +
                                    std::to_string(low) + " >= to=" + std::to_string(high));
    Tensor t = Tensor::empty(shape, DType::Int64);
    const std::uint64_t range = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
    const bool wide = range >= (std::uint64_t{1} << 32);
    auto* data = t.data_ptr<std::int64_t>();
    const auto hold = gen.lock();
    for (std::int64_t i = 0, n = t.numel(); i < n; ++i) {
        const std::uint64_t v = wide ? gen.random64() : gen.random();
        data[i] = static_cast<std::int64_t>(v % range + static_cast<std::uint64_t>(low));
    }
    return t;
}

std::int64_t random_int64(Generator& gen) {
    // uniform_int_distribution<int64_t>: val % (max + 1).
    const auto hold = gen.lock();
    return static_cast<std::int64_t>(gen.random64() % (std::uint64_t{1} << 63));
}

Tensor randperm(std::int64_t n, Generator& gen) {
    if (n < 0)
        throw std::invalid_argument("randperm: n must be non-negative, got " + std::to_string(n));
    Tensor t = Tensor::arange(n, DType::Int64);
    auto* r = t.data_ptr<std::int64_t>();
    const auto hold = gen.lock();
    for (std::int64_t i = 0; i + 1 < n; ++i) {
        const auto z = static_cast<std::int64_t>(gen.random() % static_cast<std::uint64_t>(n - i));
        std::swap(r[i], r[i + z]);
    }
    return t;
}

namespace {

template <class T>
std::vector<std::int64_t> multinomial_with_replacement(const std::vector<T>& w, std::int64_t count,
                                                       Generator& gen) {
    const auto n = static_cast<std::int64_t>(w.size());
    std::vector<T> cum(w.size());
    T sum = 0;
    for (std::size_t j = 0; j < w.size(); ++j) {
        sum += w[j];
        cum[j] = sum;
    }
    for (T& c : cum)
        c /= sum;
    cum.back() = 1;
    // The first j with cum[j] >= u, as PyTorch's binary search finds it, but searched only
    // between two entries of a guide table: guide[b] is the first j with cum[j] >= b / n. The
    // answer for u lies in [guide[b - 1], guide[b + 2]] with b = floor(u * n) (one bucket of
    // slack each side for rounding), usually one or two entries. A plain binary search over
    // 60,000 categories makes 16 dependent cache misses a draw: 60,000 draws took 25 ms.
    const auto buckets = static_cast<std::size_t>(n);
    std::vector<std::int64_t> guide(buckets + 1);
    std::size_t j = 0;
    for (std::size_t b = 0; b <= buckets; ++b) {
        const double t = static_cast<double>(b) / static_cast<double>(buckets);
        while (j + 1 < buckets && cum[j] < t)
            ++j;
        guide[b] = static_cast<std::int64_t>(j);
    }
    std::vector<std::int64_t> out(static_cast<std::size_t>(count));
    for (auto& o : out) {
        const double u = uniform53(gen);
        const auto b =
            std::min(buckets, static_cast<std::size_t>(u * static_cast<double>(buckets)));
        std::int64_t left = guide[b > 0 ? b - 1 : 0];
        std::int64_t right = b + 2 <= buckets ? guide[b + 2] + 1 : n;
        while (right - left > 0) {
            const std::int64_t mid = left + (right - left) / 2;
            if (cum[static_cast<std::size_t>(mid)] < u)
                left = mid + 1;
            else
                right = mid;
        }
        o = left;
    }
    return out;
}

template <class T>
std::vector<std::int64_t> multinomial_without_replacement(const std::vector<T>& w,
                                                          std::int64_t count, Generator& gen) {
    // Gumbel top-k: argmax of w / q with q ~ Exp(1).
    std::vector<T> key(w.size());
    for (std::size_t j = 0; j < w.size(); ++j) {
        const auto q = static_cast<T>(-1.0 * std::log(1.0 - uniform53(gen)));
        key[j] = w[j] / q;
    }
    std::vector<std::int64_t> idx(w.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](std::int64_t a, std::int64_t b) {
        return key[static_cast<std::size_t>(a)] > key[static_cast<std::size_t>(b)];
    });
    idx.resize(static_cast<std::size_t>(count));
    return idx;
}

} // namespace

Tensor multinomial(const Tensor& weights, std::int64_t num_samples, bool replacement,
                   Generator& gen) {
    if (weights.dim() != 1)
        throw std::invalid_argument("multinomial: expected a 1-D tensor of weights, got shape " +
                                    shape_to_string(weights.shape()));
    const std::int64_t n = weights.size(0);
    if (num_samples <= 0)
        throw std::invalid_argument("multinomial: cannot sample n_sample <= 0 samples");
    if (!replacement && num_samples > n)
        throw std::invalid_argument(
            "multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement");
    if (n > (std::int64_t{1} << 24))
        throw std::invalid_argument("multinomial: number of categories cannot exceed 2^24");
    const std::vector<std::int64_t> out =
        dispatch_floating(weights.dtype(), "multinomial", [&](auto tag) {
            using T = decltype(tag);
            const std::vector<double> all = weights.to_vector();
            std::vector<T> w(all.begin(), all.end());
            T sum = 0;
            std::int64_t positive = 0;
            for (T v : w) {
                if (!(v >= 0) || !std::isfinite(v))
                    throw std::invalid_argument("multinomial: probability tensor contains either "
                                                "`inf`, `nan` or element < 0");
                sum += v;
                positive += v > 0;
            }
            if (!(sum > 0))
                throw std::invalid_argument(
                    "multinomial: invalid multinomial distribution (sum of probabilities <= 0)");
            if (!replacement && positive < num_samples)
                throw std::invalid_argument(
                    "multinomial: invalid multinomial distribution (with "
                    "replacement=False, not enough non-negative category to "
                    "sample)");
            const auto hold = gen.lock();
            return replacement ? multinomial_with_replacement(w, num_samples, gen)
                               : multinomial_without_replacement(w, num_samples, gen);
        });
    return Tensor::from_int64(out, {num_samples});
}

} // namespace nnscope

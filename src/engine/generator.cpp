// MT19937 exactly as PyTorch's at::mt19937 (ATen/core/MT19937RNGEngine.h) and
// CPUGeneratorImpl (ATen/CPUGeneratorImpl.cpp) run it. Checked against torch 1.13: randint with
// a range below 2^32 returns random() % range, one at or above 2^32 returns random64() % range,
// for seeds 0, 1, 42, 2^32 + 5 and 0xDEADBEEFCAFEBABE (tests/golden/gen_generator.py).

#include "engine/generator.h"

namespace nnscope {

namespace {
constexpr int mt_m = 397;
constexpr std::uint32_t matrix_a = 0x9908b0dfU;
constexpr std::uint32_t upper_mask = 0x80000000U;
constexpr std::uint32_t lower_mask = 0x7fffffffU;
} // namespace

void Generator::manual_seed(std::uint64_t seed) {
    const auto hold = lock();
    seed_state(seed);
}

std::uint64_t Generator::initial_seed() const {
    const auto hold = lock();
    return seed_;
}

void Generator::seed_state(std::uint64_t seed) {
    // PyTorch keeps the full 64-bit seed for initial_seed() but feeds only its low 32 bits to
    // init_genrand, so seeds 5 and 2^32 + 5 give the same stream.
    seed_ = seed;
    state_[0] = static_cast<std::uint32_t>(seed & 0xffffffffU);
    for (int j = 1; j < n; ++j)
        state_[j] =
            1812433253U * (state_[j - 1] ^ (state_[j - 1] >> 30)) + static_cast<std::uint32_t>(j);
    index_ = n; // twist on the first draw, as at::mt19937 does
    // set_current_seed() drops the cached Box-Muller values too.
    next_double_normal_.reset();
    next_float_normal_.reset();
}

void Generator::twist() {
    auto mix = [](std::uint32_t a, std::uint32_t b) {
        const std::uint32_t y = (a & upper_mask) | (b & lower_mask);
        return (y >> 1) ^ ((y & 1U) ? matrix_a : 0U);
    };
    int i = 0;
    for (; i < n - mt_m; ++i)
        state_[i] = state_[i + mt_m] ^ mix(state_[i], state_[i + 1]);
    for (; i < n - 1; ++i)
        state_[i] = state_[i + mt_m - n] ^ mix(state_[i], state_[i + 1]);
    state_[n - 1] = state_[mt_m - 1] ^ mix(state_[n - 1], state_[0]);
}

std::uint32_t Generator::random() {
    if (index_ >= n) {
        twist();
        index_ = 0;
    }
    std::uint32_t y = state_[index_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= y >> 18;
    return y;
}

std::uint64_t Generator::random64() {
    // The first output is the high word (detail::make64BitsFrom32Bits(hi, lo)).
    const std::uint64_t hi = random();
    const std::uint64_t lo = random();
    return (hi << 32) | lo;
}

namespace {
thread_local Generator* scoped_default = nullptr;
} // namespace

Generator& default_generator() {
    static Generator process_default;
    return scoped_default ? *scoped_default : process_default;
}

void manual_seed(std::uint64_t seed) {
    default_generator().manual_seed(seed);
}

DefaultGeneratorScope::DefaultGeneratorScope(Generator& generator)
    : previous_(scoped_default) {
    scoped_default = &generator;
}

DefaultGeneratorScope::~DefaultGeneratorScope() {
    scoped_default = previous_;
}

} // namespace nnscope

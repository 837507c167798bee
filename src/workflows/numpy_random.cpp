#include "workflows/numpy_random.h"

#include <algorithm>
#include <sstream>

namespace nnscope::workflows {

NumpyRandomState::NumpyRandomState(const std::array<std::uint32_t, 4>& key) {
    // numpy's mt19937_init_by_array (randomkit), for a key of any length.
    constexpr std::size_t n = std::mt19937::state_size;
    std::array<std::uint32_t, n> mt{};
    mt[0] = 19650218U;
    for (std::size_t i = 1; i < n; ++i)
        mt[i] = 1812433253U * (mt[i - 1] ^ (mt[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
    std::size_t i = 1, j = 0;
    for (std::size_t k = std::max(n, key.size()); k > 0; --k) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) + key[j] +
                static_cast<std::uint32_t>(j);
        if (++i >= n) {
            mt[0] = mt[n - 1];
            i = 1;
        }
        if (++j >= key.size()) j = 0;
    }
    for (std::size_t k = n - 1; k > 0; --k) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) -
                static_cast<std::uint32_t>(i);
        if (++i >= n) {
            mt[0] = mt[n - 1];
            i = 1;
        }
    }
    mt[0] = 0x80000000U; // a non-zero state
    // A std::mersenne_twister_engine's textual form is its n state words; read back, the engine
    // twists them before its first output, as numpy does after seeding.
    std::stringstream words;
    for (auto w : mt)
        words << w << ' ';
    words >> mt_;
}

double NumpyRandomState::rand() {
    // numpy's legacy_double / random_standard_uniform: (a >> 5) * 2^26 + (b >> 6), over 2^53.
    const auto a = static_cast<std::uint32_t>(mt_()) >> 5;
    const auto b = static_cast<std::uint32_t>(mt_()) >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

std::array<std::uint32_t, 4> torch_worker_numpy_seed(std::uint64_t base_seed, int worker) {
    // A transcription of PyTorch's Python (itself adapted from numpy's SeedSequence), in 32-bit
    // arithmetic throughout.
    constexpr std::uint32_t init_a = 0x43b0d7e5U, mult_a = 0x931e8875U;
    constexpr std::uint32_t init_b = 0x8b51f9ddU, mult_b = 0x58f38dedU;
    constexpr std::uint32_t mix_mult_l = 0xca01f9ddU, mix_mult_r = 0x4973f715U;
    constexpr int xshift = 16;
    const std::array<std::uint32_t, 4> entropy{static_cast<std::uint32_t>(worker),
                                               static_cast<std::uint32_t>(base_seed & 0xffffffffU),
                                               static_cast<std::uint32_t>(base_seed >> 32), 0};
    std::uint32_t hash_const_a = init_a;
    auto hash = [&](std::uint32_t value) {
        value ^= hash_const_a;
        hash_const_a *= mult_a;
        value *= hash_const_a;
        return value ^ (value >> xshift);
    };
    auto mix = [](std::uint32_t x, std::uint32_t y) {
        const std::uint32_t r = mix_mult_l * x - mix_mult_r * y;
        return r ^ (r >> xshift);
    };
    std::array<std::uint32_t, 4> pool{};
    for (std::size_t i = 0; i < pool.size(); ++i)
        pool[i] = hash(entropy[i]);
    for (std::size_t src = 0; src < pool.size(); ++src)
        for (std::size_t dst = 0; dst < pool.size(); ++dst)
            if (src != dst) pool[dst] = mix(pool[dst], hash(pool[src]));
    std::uint32_t hash_const_b = init_b;
    std::array<std::uint32_t, 4> state{};
    for (std::size_t i = 0; i < state.size(); ++i) {
        std::uint32_t v = pool[i] ^ hash_const_b;
        hash_const_b *= mult_b;
        v *= hash_const_b;
        state[i] = v ^ (v >> xshift);
    }
    return state;
}

} // namespace nnscope::workflows

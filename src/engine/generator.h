#pragma once
// A random generator whose stream equals PyTorch's CPU generator (MT19937, seeded the classic
// way), so that the same seed gives PyTorch's numbers bit for bit.

#include <array>
#include <cstdint>
#include <optional>

namespace nnscope {

class Generator {
public:
    static constexpr std::uint64_t default_seed = 67280421310721ULL; // PyTorch's default

    explicit Generator(std::uint64_t seed = default_seed) { manual_seed(seed); }
    void manual_seed(std::uint64_t seed);
    std::uint64_t initial_seed() const { return seed_; }

    std::uint32_t random();   // one tempered 32-bit output
    std::uint64_t random64(); // (first << 32) | second

    // The Box-Muller value kept for the next scalar normal draw, as PyTorch's CPUGeneratorImpl.
    std::optional<double>& next_double_normal_sample() { return next_double_normal_; }
    std::optional<float>& next_float_normal_sample() { return next_float_normal_; }

private:
    void twist(); // regenerates all n words of state

    static constexpr int n = 624;
    std::uint64_t seed_ = 0;
    std::array<std::uint32_t, n> state_{};
    int index_ = n;
    std::optional<double> next_double_normal_;
    std::optional<float> next_float_normal_;
};

// The process-wide generator torch.manual_seed seeds. Not thread-safe: each worker thread of
// nnscope owns its own Generator.
Generator& default_generator();
void manual_seed(std::uint64_t seed);

} // namespace nnscope

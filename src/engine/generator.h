#pragma once
// A random generator whose stream equals PyTorch's CPU generator (MT19937, seeded the classic
// way), so that the same seed gives PyTorch's numbers bit for bit.
//
// Threads, as in PyTorch (CPUGeneratorImpl's mutex_):
// - Every Generator carries a mutex. Each draw operation of engine/random.h (a whole uniform_,
//   normal_, randperm, multinomial ...) holds it for the whole fill, not per number, so threads
//   sharing one generator never tear its state; which thread gets which part of the stream then
//   depends on timing. manual_seed() and initial_seed() lock too.
// - random(), random64() and the Box-Muller caches are the raw engine: they do not lock. Code
//   that draws with them on a generator other threads can reach holds lock() around its draws.
// - default_generator() is the process-wide generator torch.manual_seed seeds, unless this
//   thread has a DefaultGeneratorScope: then it is the scope's generator. Everything that
//   draws from "the default" (nn::init without a generator, Dropout without one, RandomSampler
//   and DataLoader without one, transforms outside a worker) asks default_generator() at the
//   moment it draws, so one scope at the top of a job's thread isolates the whole job.
// - A DataLoader worker thread installs a scope over its own generator (seeded base_seed + id),
//   as PyTorch reseeds torch's default generator in each worker.

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>

namespace nnscope {

class Generator {
public:
    static constexpr std::uint64_t default_seed = 67280421310721ULL; // PyTorch's default

    explicit Generator(std::uint64_t seed = default_seed) { seed_state(seed); }
    Generator(const Generator&) = delete; // a stream is shared by reference, never duplicated
    Generator& operator=(const Generator&) = delete;

    void manual_seed(std::uint64_t seed);
    std::uint64_t initial_seed() const;

    // Held by each draw operation; see above.
    [[nodiscard]] std::unique_lock<std::mutex> lock() const { return std::unique_lock(mutex_); }

    std::uint32_t random();   // one tempered 32-bit output
    std::uint64_t random64(); // (first << 32) | second

    // The Box-Muller value kept for the next scalar normal draw, as PyTorch's CPUGeneratorImpl.
    std::optional<double>& next_double_normal_sample() { return next_double_normal_; }
    std::optional<float>& next_float_normal_sample() { return next_float_normal_; }

private:
    void seed_state(std::uint64_t seed); // manual_seed without the lock
    void twist();                        // regenerates all n words of state

    static constexpr int n = 624;
    mutable std::mutex mutex_;
    std::uint64_t seed_ = 0;
    std::array<std::uint32_t, n> state_{};
    int index_ = n;
    std::optional<double> next_double_normal_;
    std::optional<float> next_float_normal_;
};

// This thread's default generator: the innermost live DefaultGeneratorScope's, else the
// process-wide one.
Generator& default_generator();
// torch.manual_seed: seeds default_generator() (so, under a scope, only the scope's generator).
void manual_seed(std::uint64_t seed);

// While it lives, default_generator() on the constructing thread is `generator`. Scopes nest
// (the destructor restores the previous one) and must be destroyed on the thread and in the
// reverse order they were made, as a local variable is. The generator must outlive the scope.
class DefaultGeneratorScope {
public:
    explicit DefaultGeneratorScope(Generator& generator);
    ~DefaultGeneratorScope();
    DefaultGeneratorScope(const DefaultGeneratorScope&) = delete;
    DefaultGeneratorScope& operator=(const DefaultGeneratorScope&) = delete;

private:
    Generator* previous_;
};

} // namespace nnscope

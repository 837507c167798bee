#pragma once
// numpy's legacy RandomState (numpy.random.seed / numpy.random.rand), and the seed PyTorch 1.13
// gives it in each DataLoader worker: what a dataset that draws its augmentations from numpy sees
// in the workers. Checked against numpy 1.24 (tests/golden/gen_loader_analysis.py).
//
// The generator is std::mt19937: the same MT19937 as numpy's and torch's (engine/generator.h),
// whose integer seeding is numpy's too. Only numpy's seeding from an array (init_by_array) is
// written here; its 624 words are loaded into the std engine as its state.

#include <array>
#include <cstdint>
#include <random>

namespace nnscope::workflows {

class NumpyRandomState {
public:
    // numpy.random.seed(seed) for an integer seed (init_genrand).
    explicit NumpyRandomState(std::uint32_t seed)
        : mt_(seed) {}
    // numpy.random.seed(key) for a list of uint32 (init_by_array).
    explicit NumpyRandomState(const std::array<std::uint32_t, 4>& key);

    // numpy.random.rand(): 53 random bits from two 32-bit outputs, in [0, 1).
    double rand();

private:
    std::mt19937 mt_;
};

// torch/utils/data/_utils/worker.py _generate_state(base_seed, worker_id): the four words
// PyTorch >= 1.9 passes to numpy.random.seed in each worker before worker_init_fn runs.
std::array<std::uint32_t, 4> torch_worker_numpy_seed(std::uint64_t base_seed, int worker);

} // namespace nnscope::workflows

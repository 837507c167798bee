#include "workflows/worker_streams.h"

#include "workflows/numpy_random.h"

#include <memory>

namespace nnscope::workflows {

namespace {

// The three numpy states one worker process holds.
struct WorkerStates {
    NumpyRandomState unseeded{0}; // the dataset's RandomState(0), copied from the parent
    NumpyRandomState seeded;      // numpy.random.seed((base_seed + worker) % 2**32)
    NumpyRandomState torch_seeded;

    WorkerStates(std::uint64_t base_seed, int worker)
        : seeded(static_cast<std::uint32_t>((base_seed + static_cast<std::uint64_t>(worker)) &
                                            0xffffffffU))
        , torch_seeded(torch_worker_numpy_seed(base_seed, worker)) {}
};

} // namespace

std::vector<WorkerStream> worker_streams(const std::vector<EpochDraw>& epochs, int num_workers,
                                         bool persistent_workers, const std::atomic<bool>* cancel) {
    std::vector<WorkerStream> out;
    if (num_workers <= 0) return out;
    const auto workers = static_cast<std::size_t>(num_workers);
    std::vector<std::unique_ptr<WorkerStates>> states(workers);
    out.reserve(epochs.size() * workers);
    for (std::size_t ei = 0; ei < epochs.size(); ++ei) {
        if (cancel && cancel->load(std::memory_order_relaxed)) return {};
        const EpochDraw& e = epochs[ei];
        const auto base = static_cast<std::uint64_t>(e.base_seed);
        const std::size_t first = out.size();
        for (std::size_t w = 0; w < workers; ++w) {
            // New worker processes each epoch, unless they persist.
            if (ei == 0 || !persistent_workers)
                states[w] = std::make_unique<WorkerStates>(base, static_cast<int>(w));
            WorkerStream& s = out.emplace_back();
            s.epoch = e.epoch;
            s.worker = static_cast<int>(w);
            s.torch_seed = base + w;
        }
        std::size_t at = 0;
        for (std::size_t k = 0; k < e.batch_sizes.size(); ++k) {
            const std::size_t w = k % workers;
            WorkerStream& s = out[first + w];
            WorkerStates& st = *states[w];
            const auto size = static_cast<std::size_t>(e.batch_sizes[k]);
            for (std::size_t j = 0; j < size; ++j, ++at) {
                ++s.loaded;
                if (s.indices.size() < LoaderAnalysis::kMaxStreamDraws) {
                    s.indices.push_back(e.order[at]);
                    s.unseeded.push_back(st.unseeded.rand());
                    s.seeded.push_back(st.seeded.rand());
                    s.torch_seeded.push_back(st.torch_seeded.rand());
                } else if (persistent_workers) {
                    // Not kept, but the next epoch goes on from here.
                    st.unseeded.rand();
                    st.seeded.rand();
                    st.torch_seeded.rand();
                }
            }
        }
    }
    return out;
}

} // namespace nnscope::workflows

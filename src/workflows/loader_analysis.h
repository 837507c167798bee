#pragma once
// What a configured DataLoader draws over its epochs, as the DataLoader lab plots it: the index
// order of every epoch, how often each sample was drawn, the classes drawn against the data set's
// own, the batches with what drop_last threw away, every rank of a DistributedSampler with its
// padding, and which worker loads which batch with its seeds. The batches are exactly those of
// LoaderSimulation (and so of PyTorch); no sample is loaded for them.

#include "data/loader_config.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nnscope::workflows {

// One epoch of the configured loader (the configured rank, for a DistributedSampler).
struct EpochDraw {
    std::int64_t epoch = 0;                // 0-based, in the order drawn
    std::vector<std::int64_t> order;       // dataset indices in the order the batches hold them
    std::vector<std::int64_t> batch_sizes; // one per batch; they sum to order.size()
    std::vector<std::int64_t> dropped;     // the sampler's indices drop_last threw away
    std::vector<std::uint8_t> padding;     // per position in order: 1 for a DistributedSampler's
                                           // padding (a repeat that evens out the ranks); empty
                                           // when there is none
    std::vector<int> worker;               // per batch: the worker that loads it, -1 the main
                                           // process (num_workers == 0)
    std::int64_t base_seed = 0;            // the iterator's base seed; worker w's torch seed
                                           // (torch.initial_seed() there) is base_seed + w
};

// DistributedSampler: what each of its num_replicas ranks draws, the configured one among them.
struct RankDraw {
    std::int64_t rank = 0;
    std::vector<std::vector<std::int64_t>> order;   // by epoch: the rank's indices in order
    std::vector<std::vector<std::uint8_t>> padding; // by epoch, per position: 1 for padding
};

// A second random library in the workers (numpy's global RandomState, MT19937): what
// np.random.rand() returns for each sample a worker loads, as forked workers inherit it (every
// worker and every epoch starts from the same state, so their "random" augmentations repeat) and
// as worker_init_fn seed-numpy reseeds it (numpy.random.seed(torch.initial_seed() % 2**32)).
struct WorkerStream {
    std::int64_t epoch = 0;
    int worker = 0;
    std::uint64_t torch_seed = 0;         // base_seed + worker
    std::vector<std::int64_t> indices;    // the samples the worker loads, in its order
    std::vector<double> unseeded, seeded; // one draw per sample in `indices`
};

struct LoaderAnalysis {
    data::DataLoaderConfig config; // what was analysed
    std::string dataset;           // Dataset::name() of what the loader reads
    std::int64_t dataset_size = 0;
    std::vector<std::int64_t> labels;       // per dataset index: its class, -1 when unknown
    std::vector<std::string> class_names;   // by class; empty when the classes have no names
    std::vector<std::int64_t> class_counts; // by class: the data set's own distribution; empty
                                            // when labels are unknown or there are more than
                                            // kMaxClasses (range:N labels each integer itself)
    std::vector<EpochDraw> epochs;
    std::vector<std::int64_t> draw_counts;     // per dataset index, over every epoch
    std::int64_t duplicates = 0;               // draws of an index already drawn in its epoch
    std::int64_t never_drawn = 0;              // indices drawn in no epoch
    std::vector<std::int64_t> drawn_per_class; // by class (as class_counts), over every epoch
    std::vector<RankDraw> ranks;               // DistributedSampler only
    std::vector<WorkerStream> workers;         // num_workers > 0 only
    std::vector<std::string> warnings;         // PyTorch's warnings about the configuration

    static constexpr std::int64_t kMaxClasses = 100;
    std::int64_t batches() const; // over every epoch
};
using LoaderAnalysisPtr = std::shared_ptr<const LoaderAnalysis>;

// Validates and builds the loader (data::ConfigError naming the field for a bad value, the data
// set's own errors for unreadable data) and draws every epoch. Returns nullptr when `cancel` is
// raised before it is done.
LoaderAnalysisPtr analyse_loader(const data::DataLoaderConfig& config,
                                 const std::atomic<bool>* cancel = nullptr);

// By batch of one epoch: how many samples of each class (as class_counts) the batch holds.
std::vector<std::vector<std::int64_t>> batch_class_counts(const LoaderAnalysis& analysis,
                                                          std::size_t epoch);

} // namespace nnscope::workflows

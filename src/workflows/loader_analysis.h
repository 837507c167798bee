#pragma once
// What a configured DataLoader draws over its epochs, as the DataLoader lab plots it: the index
// order of every epoch, how often each sample was drawn, the classes drawn against the data set's
// own, the batches with what drop_last threw away, every rank of a DistributedSampler with its
// padding, and which worker loads which batch with its seeds. The batches are exactly those of
// LoaderSimulation (and so of PyTorch 1.13: the same generator draws in the same order, the base
// seed of each iter() included), but no sample is loaded or transformed: only the sampler runs,
// and labels come from Dataset::label.
//
// Cost, 60,000 Fashion-MNIST samples over 3 epochs, batch 64, release build (bench/README.md,
// "DataLoader lab analysis"): 1 to 33 ms by sampler on a 2-core VM under load 12, the weighted
// sampler's 180,000 draws the slowest; the data set is opened once (dataset_cache.h), not per
// analysis. Memory: labels and draw_counts 8 bytes per sample each (0.96 MB), every epoch's order
// 8 bytes per draw (1.44 MB for 3 x 60,000), batch sizes and workers 12 bytes per batch (34 KB),
// the worker streams 4 x 8 x kMaxStreamDraws bytes per worker and epoch (2 KB); about 2.4 MB in
// all, plus 4 bytes per sample while it runs. A DistributedSampler adds its ranks, 9 bytes per
// draw of every rank (1.6 MB for 4 ranks over 3 epochs), and the configured rank's padding marks,
// 1 byte per draw. The data set itself (47 MB of Fashion-MNIST pixels) is shared, not copied.

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
    std::vector<std::int64_t> dropped;     // what drop_last threw away this epoch: a
                                           // DistributedSampler's tail that no rank gets (its
                                           // drop_last), then the tail of the sampler's indices
                                           // that did not fill a batch (the loader's or the
                                           // batch_sampler's drop_last)
    std::vector<std::uint8_t> padding;     // per position in order: 1 for a DistributedSampler's
                                           // padding (a repeat that evens out the ranks); empty
                                           // when there is none
    std::vector<int> worker;               // per batch: the worker that loads it (batch k goes
                                           // to worker k % num_workers), -1 the main process
                                           // (num_workers == 0)
    std::int64_t base_seed = 0;            // the iterator's base seed; worker w's torch seed
                                           // (torch.initial_seed() there) is base_seed + w. With
                                           // persistent_workers the first epoch's, every epoch:
                                           // PyTorch 1.13 draws it once, in the first iter()
};

// DistributedSampler: what each of its num_replicas ranks draws, the configured one among them.
struct RankDraw {
    std::int64_t rank = 0;
    std::vector<std::vector<std::int64_t>> order;   // by epoch: the rank's indices in order
    std::vector<std::vector<std::uint8_t>> padding; // by epoch, per position: 1 for padding
};

// A second random library in the workers: one numpy.random.rand() per sample a worker loads, in
// the order it loads them, three ways (numpy 1.x's MT19937, bit for bit):
// - unseeded: a numpy RandomState the dataset made in the parent process, seeded 0 there
//   (self.rng = numpy.random.RandomState(0)). PyTorch does not reseed it: every forked worker
//   starts from a copy of the parent's state, so every worker (and, unless the workers persist,
//   every epoch) draws the same sequence and the "random" augmentations repeat (pytorch issue
//   5059).
// - seeded: numpy's global RandomState after worker_init_fn seed-numpy,
//   numpy.random.seed(torch.initial_seed() % 2**32) with torch.initial_seed() = base_seed + w.
// - torch_seeded: numpy's global RandomState without a worker_init_fn. PyTorch >= 1.9 (so 1.13)
//   reseeds it in every worker itself, numpy.random.seed(_generate_state(base_seed, w)), so the
//   global one no longer repeats; a dataset-owned generator (unseeded) still does.
// With persistent_workers the three streams go on from where the worker's previous epoch left
// them. Only the first kMaxStreamDraws samples of each worker and epoch are kept; `loaded`
// counts them all.
struct WorkerStream {
    std::int64_t epoch = 0;
    int worker = 0;
    std::uint64_t torch_seed = 0;         // base_seed + worker
    std::int64_t loaded = 0;              // samples the worker loads in the epoch
    std::vector<std::int64_t> indices;    // the first of them, in its order
    std::vector<double> unseeded, seeded; // one draw per sample in `indices`
    std::vector<double> torch_seeded;     // as `unseeded`
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
    std::vector<RankDraw> ranks;               // DistributedSampler only, every rank
    std::vector<WorkerStream> workers;         // num_workers > 0 only; by epoch, then worker
    std::vector<std::string> warnings;         // PyTorch's warnings about the configuration

    static constexpr std::int64_t kMaxClasses = 100;
    static constexpr std::size_t kMaxStreamDraws = 64;
    std::int64_t batches() const; // over every epoch
};
using LoaderAnalysisPtr = std::shared_ptr<const LoaderAnalysis>;

// Validates and builds the loader (data::ConfigError naming the field for a bad value, the data
// set's own errors for unreadable data) and draws every epoch's indices. The default generator is
// a fresh one (a new interpreter's), as in LoaderSimulation. Returns nullptr when `cancel` is
// raised before it is done; it is read at least every 16,384 indices.
LoaderAnalysisPtr analyse_loader(const data::DataLoaderConfig& config,
                                 const std::atomic<bool>* cancel = nullptr);

// By batch of one epoch: how many samples of each class (as class_counts) the batch holds.
std::vector<std::vector<std::int64_t>> batch_class_counts(const LoaderAnalysis& analysis,
                                                          std::size_t epoch);

} // namespace nnscope::workflows

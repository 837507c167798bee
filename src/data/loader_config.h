#pragma once
// One DataLoader as a value: the data set, every torch.utils.data.DataLoader argument the
// engine implements, the sampler with its own arguments, the transform pipeline and the number of
// epochs. The CLI (`nnscope-cli loader`), the DataLoader lab and the training workflow fill it;
// loader_factory.h builds the data set, sampler and DataLoader from it; loader_config_json.h
// reads and writes it as JSON.

#include "data/sample_weights.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace nnscope::data {

// SequentialSampler(data).
struct SequentialSamplerArgs {
    bool operator==(const SequentialSamplerArgs&) const = default;
};
// RandomSampler(data, replacement, num_samples) with the loader's generator.
struct RandomSamplerArgs {
    bool replacement = false;
    std::optional<std::int64_t> num_samples; // nullopt: len(data)
    bool operator==(const RandomSamplerArgs&) const = default;
};
// SubsetRandomSampler(indices) with the loader's generator: the indices listed, else
// range(begin, end), else every index of the data set.
struct SubsetRandomSamplerArgs {
    std::optional<std::vector<std::int64_t>> indices;
    std::optional<std::pair<std::int64_t, std::int64_t>> range; // [begin, end)
    bool operator==(const SubsetRandomSamplerArgs&) const = default;
};
// WeightedRandomSampler(weights, num_samples, replacement) with the loader's generator.
struct WeightedSamplerArgs {
    SampleWeights weights;
    std::optional<std::int64_t> num_samples; // nullopt: len(data)
    bool replacement = true;
    bool operator==(const WeightedSamplerArgs&) const = default;
};
// DistributedSampler(data, num_replicas, rank, shuffle, seed, drop_last); set_epoch(epoch) before
// the first epoch, epoch + 1 before the second, and so on. set_epoch false: the training loop
// forgets to call it after the first, so every epoch shuffles as the first one.
struct DistributedSamplerArgs {
    std::int64_t num_replicas = 1, rank = 0;
    bool shuffle = true;
    std::uint64_t seed = 0;
    bool drop_last = false;
    std::int64_t epoch = 0;
    bool set_epoch = true;
    bool operator==(const DistributedSamplerArgs&) const = default;
};
// monostate: no sampler argument (DataLoader picks SequentialSampler, or RandomSampler with
// shuffle=True).
using SamplerConfig =
    std::variant<std::monostate, SequentialSamplerArgs, RandomSamplerArgs, SubsetRandomSamplerArgs,
                 WeightedSamplerArgs, DistributedSamplerArgs>;
// "default", "sequential", "random", "subset-random", "weighted", "distributed".
std::string sampler_kind_name(const SamplerConfig& sampler);

// batch_sampler=BatchSampler(sampler, batch_size, drop_last) over the configured sampler (a
// SequentialSampler when none is configured).
struct BatchSamplerArgs {
    std::int64_t batch_size = 1;
    bool drop_last = false;
    bool operator==(const BatchSamplerArgs&) const = default;
};

// collate_fn: the DataLoader's default (default_collate, or default_convert without batching),
// or for text data sets the torchtext tutorial's padded token matrix or EmbeddingBag offsets.
enum class CollateChoice { Default, Padding, Offsets };
std::string collate_choice_name(CollateChoice c); // "default", "padding", "offsets"

// The data set the loader reads may be a part of the named one: Subset(data, indices) with the
// indices listed or range(begin, end), or random_split(data, lengths,
// generator=torch.Generator().manual_seed(seed))[part]; lengths are counts, or fractions summing
// to 1 (PyTorch 1.13 turns them into counts and spreads the remainder round-robin).
struct SubsetArgs {
    std::optional<std::vector<std::int64_t>> indices;
    std::optional<std::pair<std::int64_t, std::int64_t>> range; // [begin, end)
    bool operator==(const SubsetArgs&) const = default;
};
struct RandomSplitArgs {
    std::vector<double> lengths; // counts (whole numbers) or fractions summing to 1
    std::uint64_t seed = 0;
    std::int64_t part = 0;
    bool operator==(const RandomSplitArgs&) const = default;
};
using DatasetPart = std::variant<std::monostate, SubsetArgs, RandomSplitArgs>;

// worker_init_fn: none, or the named choice PyTorch's documentation recommends for a second random
// library (numpy's global RandomState): numpy.random.seed(torch.initial_seed() % 2**32) in each
// worker. The engine draws only from torch's generator, so the choice changes no batch; the lab
// shows what such a library would draw in each worker with and without it.
enum class WorkerInitChoice { None, SeedNumpy };
std::string worker_init_choice_name(WorkerInitChoice c); // "none", "seed-numpy"

struct DataLoaderConfig {
    std::string dataset = "range:10";           // data/dataset_spec.h
    bool test_split = false;                    // the "test" split instead of "train"
    DatasetPart part;                           // monostate: the whole data set
    std::optional<std::int64_t> batch_size = 1; // nullopt: batch_size=None (no batching)
    bool shuffle = false;
    SamplerConfig sampler;
    std::optional<BatchSamplerArgs> batch_sampler;
    bool drop_last = false;
    int num_workers = 0;
    CollateChoice collate_fn = CollateChoice::Default;
    bool pin_memory = false;
    double timeout = 0;
    std::optional<std::uint64_t> generator_seed; // nullopt: no generator (the default one)
    int prefetch_factor = 2;
    bool persistent_workers = false;
    WorkerInitChoice worker_init_fn = WorkerInitChoice::None;
    std::string transform; // a torchvision pipeline (data/transforms), empty for none
    std::int64_t epochs = 1;

    bool operator==(const DataLoaderConfig&) const = default;
};

// The checks that need no data, in the order DataLoader.__init__ makes them and with PyTorch's
// messages where PyTorch has one; throws ConfigError naming the field. The factory adds the
// checks that need the data set (subset indices, weights).
void validate(const DataLoaderConfig& config);

} // namespace nnscope::data

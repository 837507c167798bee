#pragma once
// The DataLoader lab's batch inspector: what one batch of a configured loader holds, as the model
// would get it. The batch is loaded by running the configured DataLoader itself from the start of
// its first epoch up to that batch (LoaderSimulation), so every random transform draws exactly
// what it draws there: in worker w from the generator seeded base_seed + w at the start of the
// epoch, advanced by the samples w loaded before; with num_workers = 0 from the loader's default
// generator (a fresh interpreter's) after the sampler's draws. Later batches cost more: each
// earlier batch of the run is loaded too (cancellable between batches).

#include "data/loader_config.h"
#include "data/text/vocab.h"
#include "engine/tensor.h"
#include "workflows/loader_analysis.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nnscope::workflows {

struct BatchSamples {
    std::int64_t epoch = 0, batch = 0;    // 0-based
    std::vector<std::int64_t> indices;    // dataset indices, in the batch's order
    std::vector<std::int64_t> labels;     // per sample; -1 when unknown
    std::vector<std::string> class_names; // by class; empty when classes have no names
    std::vector<Tensor> images;           // image data sets: each sample's image after the
                                          // transforms (the collated batch's rows)
    std::vector<std::string> values;      // other non-text data sets: each sample as text
    // Text data sets (AG_NEWS): the collated token ids. Padding collate: ids int64 [B, L] and
    // lengths [B]; offsets collate: ids int64 [total tokens] and offsets [B] (EmbeddingBag's).
    data::CollateChoice collate = data::CollateChoice::Default;
    Tensor ids, lengths, offsets;
    std::shared_ptr<const data::Vocab> vocab; // to show ids as words; null for non-text

    std::size_t size() const { return indices.size(); }
    // Row r's token ids (text): its row of the matrix up to its length, or its offsets span.
    std::vector<std::int64_t> tokens(std::size_t row) const;
};
using BatchSamplesPtr = std::shared_ptr<const BatchSamples>;

struct BatchSamplesRequest {
    data::DataLoaderConfig config;
    std::int64_t epoch = 0, batch = 0;
};

// ConfigError for a bad configuration, std::out_of_range naming (epoch, batch) when the loader
// has no such batch; nullptr when `cancel` is raised first.
BatchSamplesPtr load_batch_samples(const BatchSamplesRequest& request,
                                   const std::atomic<bool>* cancel = nullptr);

// How a sample of a batch stands in its epoch (from the analysis, no loading).
struct SampleMark {
    bool padding = false; // a DistributedSampler's padding: a repeat that evens out the ranks
    bool repeat = false;  // its index was drawn earlier in the same epoch
};
// One mark per sample of batch `batch` of epoch `epoch`; empty when there is no such batch.
std::vector<SampleMark> batch_marks(const LoaderAnalysis& analysis, std::size_t epoch,
                                    std::size_t batch);

} // namespace nnscope::workflows

#pragma once
// The data of a training run: the training and test splits of a data set, the collate function
// that turns their samples into model inputs, and how a batch feeds a model.

#include "data/collate.h"
#include "data/dataset.h"
#include "data/text/vocab.h"
#include "engine/tensor.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace nnscope::workflows {

struct TrainData {
    // What the training DataLoader reads (once the run has built it: the configured part of the
    // train split, with its transform) and the test split (never transformed).
    data::DatasetPtr train, test;
    data::CollateFn collate;                  // empty: default_collate
    std::shared_ptr<const data::Vocab> vocab; // text data sets only
    std::int64_t classes = 0;
    std::string description; // the data set and where its splits come from
    bool text = false;       // AG_NEWS: batches are (labels, ids, offsets)
};

// Both splits of fashion-mnist[:PATH] | mnist:PATH | ag-news:PATH: `train` whole (the run's
// loader takes its part of it) and `test` its first `eval_limit` samples. Throws
// data::ConfigError (field "dataset") for another kind or a missing path, std::runtime_error for
// unreadable files.
TrainData open_train_data(const std::string& spec,
                          std::optional<std::int64_t> eval_limit = std::nullopt);

// For a text data set, the vocabulary and the offsets collate: `vocab` (a trained model's, from
// its file), else the torchtext tutorial's vocabulary of `train_rows` (the rows the loader reads).
// Nothing for images.
void set_text_collate(TrainData& data, const data::Dataset& train_rows,
                      std::shared_ptr<const data::Vocab> vocab);

// The first `limit` samples of d (a Subset), or d itself when it has no more.
data::DatasetPtr first_samples(data::DatasetPtr d, std::optional<std::int64_t> limit);

// A collated batch as model inputs: images [B, C, H, W], or token ids [N] with their bag offsets
// [B] for text; the labels [B].
struct ModelBatch {
    Tensor inputs;
    Tensor offsets; // undefined for images
    Tensor labels;
};
ModelBatch model_batch(const data::Sample& collated);

} // namespace nnscope::workflows

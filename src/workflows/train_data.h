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

struct TrainDataOptions {
    std::optional<std::int64_t> limit; // at most this many samples of each split (the first)
    // Wraps the training split before the DataLoader sees it: the place for a per-sample
    // transform (e.g. data::TransformedDataset). The test split is never transformed.
    std::function<data::DatasetPtr(data::DatasetPtr)> wrap_train;
    // Text data sets: tokenize with this vocabulary (a trained model's, from its file) instead of
    // building one from the training rows.
    std::shared_ptr<const data::Vocab> vocab;
};

struct TrainData {
    data::DatasetPtr train, test;
    data::CollateFn collate;                  // empty: default_collate
    std::shared_ptr<const data::Vocab> vocab; // text data sets only
    std::int64_t classes = 0;
    std::string description; // the data set and where its splits come from
};

// fashion-mnist[:PATH] | mnist:PATH | ag-news:PATH. Throws data::ConfigError (field "dataset")
// for an unknown kind or a missing path, std::runtime_error for unreadable files.
TrainData open_train_data(const std::string& spec, const TrainDataOptions& options = {});

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

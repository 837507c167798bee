#pragma once
// Builds what a DataLoaderConfig describes: the data set (with its transform), the sampler and
// the DataLoader, drawing from the generator in PyTorch's order (samplers made first with the
// loader's generator, the base seed drawn by each iter()).

#include "data/dataloader.h"
#include "data/distributed_sampler.h"
#include "data/loader_config.h"
#include "data/text/vocab.h"
#include "data/transforms/transform.h"

#include <memory>

namespace nnscope::data {

struct BuiltLoader {
    DatasetPtr source;      // the configured part of the data set as opened (a Subset, or the
                            // whole one): the loader's indices and labels are its own
    DatasetPtr dataset;     // what the loader reads (source with the transform, if any)
    GeneratorPtr generator; // the loader's and its sampler's; null: the default generator
    std::shared_ptr<DistributedSampler> distributed; // set_epoch before each epoch; else null
    std::shared_ptr<const Vocab> vocab;              // for the text collate functions; else null
    std::unique_ptr<DataLoader> loader;
    std::vector<std::string> warnings; // PyTorch's about the data set's part (an empty split);
                                       // the DataLoader's own are loader->warnings()

    // set_epoch(config epoch + epoch) on a DistributedSampler, then iter().
    std::shared_ptr<DataLoaderIterator> start_epoch(std::int64_t epoch);
    // What set_epoch gets before the loader's `epoch`-th epoch (0-based): first_epoch + epoch, or
    // first_epoch every time when the loop forgets to call set_epoch.
    std::int64_t sampler_epoch(std::int64_t epoch) const {
        return first_epoch + (advance_epoch ? epoch : 0);
    }
    std::int64_t first_epoch = 0;
    bool advance_epoch = true;
};

// The data set of config.dataset and its split, whole (build_loader then takes config.part of
// it). ConfigError for an unknown spec.
DatasetPtr open_config_dataset(const DataLoaderConfig& config);

// The pipeline of a configuration's "transform" for the data set `dataset_spec`: null when the
// text is empty; ConfigError (field "transform") for a syntax error or a text data set.
TransformPtr parse_config_transform(const std::string& dataset_spec, const std::string& pipeline);

// validate()s, opens the data set and builds the rest. `generator` is the loader's generator
// when the configuration names no seed (null: the default generator, as DataLoader without a
// generator argument). `opened`: the data set of config.dataset and its split already opened
// (open_config_dataset), to read instead of opening it again; null opens it. ConfigError for a
// bad value, naming the field.
BuiltLoader build_loader(const DataLoaderConfig& config, GeneratorPtr generator = nullptr,
                         DatasetPtr opened = nullptr);

} // namespace nnscope::data

#include "data/loader_factory.h"

#include "data/config_error.h"
#include "data/dataloader_iterator.h"
#include "data/dataset_part.h"
#include "data/dataset_spec.h"
#include "data/index_choice.h"
#include "data/random_sampler.h"
#include "data/sequential_sampler.h"
#include "data/subset_random_sampler.h"
#include "data/text/ag_news.h"
#include "data/text/text_collate.h"
#include "data/transforms/parse_transform.h"
#include "data/transforms/transformed_dataset.h"
#include "data/weighted_random_sampler.h"

namespace nnscope::data {

namespace {

// The sampler argument of DataLoader (null for monostate).
struct MakeSampler {
    const Dataset& d;
    const GeneratorPtr& gen;
    std::shared_ptr<DistributedSampler>& distributed;

    SamplerPtr operator()(std::monostate) const { return nullptr; }
    SamplerPtr operator()(const SequentialSamplerArgs&) const {
        return std::make_shared<SequentialSampler>(d.size());
    }
    SamplerPtr operator()(const RandomSamplerArgs& a) const {
        return std::make_shared<RandomSampler>(d.size(), a.replacement, a.num_samples, gen);
    }
    SamplerPtr operator()(const SubsetRandomSamplerArgs& a) const {
        return std::make_shared<SubsetRandomSampler>(
            chosen_indices(a.indices, a.range, d.size(), "sampler."), gen);
    }
    SamplerPtr operator()(const WeightedSamplerArgs& a) const {
        return std::make_shared<WeightedRandomSampler>(resolve_sample_weights(a.weights, d),
                                                       a.num_samples.value_or(d.size()),
                                                       a.replacement, gen);
    }
    SamplerPtr operator()(const DistributedSamplerArgs& a) const {
        distributed = std::make_shared<DistributedSampler>(d.size(), a.num_replicas, a.rank,
                                                           a.shuffle, a.seed, a.drop_last);
        return distributed;
    }
};

CollateFn text_collate(const DataLoaderConfig& c, std::shared_ptr<const Vocab>& vocab) {
    const DatasetSpec spec = parse_dataset_spec(c.dataset);
    if (spec.kind != "ag-news")
        throw ConfigError("collate_fn", "{collate_fn} " + collate_choice_name(c.collate_fn) +
                                            " needs a text data set (ag-news:PATH), got '" +
                                            c.dataset + "'");
    // The vocabulary of the training rows, as the torchtext tutorial builds it.
    DataLoaderConfig train = c;
    train.test_split = false;
    vocab = std::make_shared<const Vocab>(build_text_vocab(*open_config_dataset(train)));
    return c.collate_fn == CollateChoice::Offsets ? offsets_collate(vocab) : padding_collate(vocab);
}

} // namespace

TransformPtr parse_config_transform(const std::string& dataset_spec, const std::string& pipeline) {
    if (pipeline.empty()) return nullptr;
    if (parse_dataset_spec(dataset_spec).kind == "ag-news")
        throw ConfigError("transform", "{transform} applies to image data sets, not to ag-news");
    try {
        return parse_transform(pipeline);
    } catch (const std::exception& e) {
        throw ConfigError("transform", std::string("{transform}: ") + e.what());
    }
}

std::shared_ptr<DataLoaderIterator> BuiltLoader::start_epoch(std::int64_t epoch) {
    if (distributed) distributed->set_epoch(sampler_epoch(epoch));
    return loader->iter();
}

DatasetPtr open_config_dataset(const DataLoaderConfig& config) {
    return open_dataset(config.dataset, config.test_split ? Split::Test : Split::Train);
}

BuiltLoader build_loader(const DataLoaderConfig& c, GeneratorPtr generator, DatasetPtr opened) {
    validate(c);
    BuiltLoader b;
    auto transform = parse_config_transform(c.dataset, c.transform); // before opening files
    DatasetPartResult part =
        take_dataset_part(opened ? std::move(opened) : open_config_dataset(c), c.part);
    b.source = std::move(part.dataset);
    b.warnings = std::move(part.warnings);
    b.dataset = b.source;
    if (transform) b.dataset = std::make_shared<TransformedDataset>(b.source, std::move(transform));
    b.generator =
        c.generator_seed ? std::make_shared<Generator>(*c.generator_seed) : std::move(generator);
    if (const auto* d = std::get_if<DistributedSamplerArgs>(&c.sampler)) {
        b.first_epoch = d->epoch;
        b.advance_epoch = d->set_epoch;
    }

    DataLoaderOptions o;
    o.batch_size = c.batch_size;
    o.shuffle = c.shuffle;
    o.drop_last = c.drop_last;
    o.num_workers = c.num_workers;
    o.pin_memory = c.pin_memory;
    o.timeout = c.timeout;
    o.prefetch_factor = c.prefetch_factor;
    o.persistent_workers = c.persistent_workers;
    o.generator = b.generator;
    SamplerPtr sampler = std::visit(MakeSampler{*b.source, b.generator, b.distributed}, c.sampler);
    if (c.batch_sampler) {
        if (!sampler) sampler = std::make_shared<SequentialSampler>(b.source->size());
        o.batch_sampler = std::make_shared<BatchSampler>(sampler, c.batch_sampler->batch_size,
                                                         c.batch_sampler->drop_last);
    } else {
        o.sampler = sampler;
    }
    if (c.collate_fn != CollateChoice::Default) o.collate_fn = text_collate(c, b.vocab);
    b.loader = std::make_unique<DataLoader>(b.dataset, std::move(o));
    return b;
}

} // namespace nnscope::data

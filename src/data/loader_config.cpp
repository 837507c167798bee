#include "data/loader_config.h"

#include "data/config_error.h"
#include "data/dataset_part.h"
#include "data/index_choice.h"

namespace nnscope::data {

namespace {

using Kind = ConfigError::Kind;

void check_num_samples(const std::optional<std::int64_t>& n) {
    if (n && *n <= 0)
        throw ConfigError("sampler.num_samples",
                          "num_samples should be a positive integer value, but got num_samples=" +
                              std::to_string(*n),
                          Kind::Rule);
}

struct SamplerChecks {
    void operator()(std::monostate) const {}
    void operator()(const SequentialSamplerArgs&) const {}
    void operator()(const RandomSamplerArgs& a) const { check_num_samples(a.num_samples); }
    void operator()(const SubsetRandomSamplerArgs& a) const {
        check_index_choice(a.indices, a.range, "sampler.");
    }
    void operator()(const WeightedSamplerArgs& a) const { check_num_samples(a.num_samples); }
    void operator()(const DistributedSamplerArgs& a) const {
        if (a.num_replicas < 1)
            throw ConfigError("sampler.num_replicas", "{num_replicas} must be at least 1, got " +
                                                          std::to_string(a.num_replicas));
        if (a.rank >= a.num_replicas || a.rank < 0)
            throw ConfigError("sampler.rank",
                              "Invalid rank " + std::to_string(a.rank) +
                                  ", rank should be in the interval [0, " +
                                  std::to_string(a.num_replicas - 1) + "]",
                              Kind::Rule);
    }
};

} // namespace

std::string sampler_kind_name(const SamplerConfig& sampler) {
    static const char* const names[] = {"default",       "sequential", "random",
                                        "subset-random", "weighted",   "distributed"};
    return names[sampler.index()];
}

std::string collate_choice_name(CollateChoice c) {
    switch (c) {
    case CollateChoice::Padding:
        return "padding";
    case CollateChoice::Offsets:
        return "offsets";
    case CollateChoice::Default:
        break;
    }
    return "default";
}

std::string worker_init_choice_name(WorkerInitChoice c) {
    return c == WorkerInitChoice::SeedNumpy ? "seed-numpy" : "none";
}

void validate(const DataLoaderConfig& c) {
    validate_dataset_part(c.part); // random_split runs before DataLoader(...) in a script
    if (c.num_workers < 0)
        throw ConfigError("num_workers",
                          "num_workers option should be non-negative; use num_workers=0 to "
                          "disable multiprocessing.",
                          Kind::Rule);
    if (c.timeout < 0)
        throw ConfigError("timeout", "timeout option should be non-negative", Kind::Rule);
    if (c.num_workers == 0 && c.prefetch_factor != 2)
        throw ConfigError("prefetch_factor",
                          "prefetch_factor option could only be specified in multiprocessing.let "
                          "num_workers > 0 to enable multiprocessing.",
                          Kind::Rule);
    if (c.prefetch_factor <= 0)
        throw ConfigError("prefetch_factor",
                          "prefetch_factor should be positive, got " +
                              std::to_string(c.prefetch_factor),
                          Kind::Rule);
    if (c.persistent_workers && c.num_workers == 0)
        throw ConfigError("persistent_workers", "persistent_workers option needs num_workers > 0",
                          Kind::Rule);
    const bool has_sampler = !std::holds_alternative<std::monostate>(c.sampler);
    if (has_sampler && c.shuffle && !c.batch_sampler)
        throw ConfigError("sampler", "sampler option is mutually exclusive with shuffle",
                          Kind::Rule);
    if (c.batch_sampler) {
        if (c.batch_size != std::optional<std::int64_t>(1) || c.shuffle || c.drop_last)
            throw ConfigError("batch_sampler",
                              "batch_sampler option is mutually exclusive with batch_size, "
                              "shuffle, sampler, and drop_last",
                              Kind::Rule);
    } else if (!c.batch_size && c.drop_last) {
        throw ConfigError("drop_last",
                          "batch_size=None option disables auto-batching and is mutually "
                          "exclusive with drop_last",
                          Kind::Rule);
    }
    const auto batch = c.batch_sampler ? std::optional(c.batch_sampler->batch_size) : c.batch_size;
    if (batch && *batch <= 0)
        throw ConfigError(c.batch_sampler ? "batch_sampler.batch_size" : "batch_size",
                          "batch_size should be a positive integer value, but got batch_size=" +
                              std::to_string(*batch),
                          Kind::Rule);
    std::visit(SamplerChecks{}, c.sampler);
    if (c.epochs < 1)
        throw ConfigError("epochs", "{epochs} must be at least 1, got " + std::to_string(c.epochs));
}

} // namespace nnscope::data

#include "workflows/dataset_cache.h"

#include "data/loader_factory.h"

#include <list>
#include <mutex>
#include <string>
#include <utility>

namespace nnscope::workflows {

namespace {

struct Entry {
    std::string spec;
    bool test_split;
    data::DatasetPtr dataset;
};

std::mutex cache_mutex;
std::list<Entry> cache; // most recently used first

} // namespace

data::DatasetPtr open_dataset_cached(const data::DataLoaderConfig& config) {
    {
        const std::lock_guard lock(cache_mutex);
        for (auto it = cache.begin(); it != cache.end(); ++it)
            if (it->spec == config.dataset && it->test_split == config.test_split) {
                cache.splice(cache.begin(), cache, it);
                return cache.front().dataset;
            }
    }
    // Opened outside the lock, so that a slow open holds back no other data set; when two
    // threads open the same one, the first to finish is kept.
    auto dataset = data::open_config_dataset(config);
    const std::lock_guard lock(cache_mutex);
    for (const auto& e : cache)
        if (e.spec == config.dataset && e.test_split == config.test_split) return e.dataset;
    cache.push_front({config.dataset, config.test_split, dataset});
    if (cache.size() > kDatasetCacheCapacity) cache.pop_back();
    return dataset;
}

data::BuiltLoader build_fresh_loader(const data::DataLoaderConfig& config, Generator& own,
                                     DatasetSource source, data::GeneratorPtr generator) {
    data::DatasetPtr opened;
    if (source == DatasetSource::Cached) {
        data::validate(config);
        data::parse_config_transform(config.dataset, config.transform);
        opened = open_dataset_cached(config);
    } // else build_loader checks, then opens
    const DefaultGeneratorScope scope(own);
    return data::build_loader(config, std::move(generator), std::move(opened));
}

} // namespace nnscope::workflows

#pragma once
// The data sets the DataLoader lab's analyses read, opened once. Opening Fashion-MNIST reads and
// inflates 26 MB of gzip (over 100 ms), twice the lab's whole budget from an edit to the plots,
// and an edit of the sampler or the batch size does not change the data set. Data sets are
// immutable once open, so threads may share one. A file changed on disk after it was opened is
// not seen until it falls out of the cache (it keeps the kCapacity most recently used).

#include "data/loader_config.h"
#include "data/loader_factory.h"
#include "engine/generator.h"

#include <cstddef>

namespace nnscope::workflows {

inline constexpr std::size_t kDatasetCacheCapacity = 4;

// open_config_dataset(config) the first time a (dataset, test_split) pair is asked for; the same
// data set after that. The data set's own errors (unknown spec, unreadable files) are thrown each
// time, never cached.
data::DatasetPtr open_dataset_cached(const data::DataLoaderConfig& config);

// Where build_fresh_loader takes the data set from: opened now (the files as they are: the CLI's
// simulation, the batch inspector) or from the cache above (the lab's analysis, its throughput
// and script export, which an edit of the sampler or batch size must not make reopen it).
enum class DatasetSource { Open, Cached };

// data::build_loader as a fresh interpreter would run it: `own` is the default generator while it
// builds (a random_split or a sampler may draw then), and `generator` the loader's when the
// configuration names no seed. The checks that need no data (validate, the transform's syntax)
// come before the data set is opened. Every workflow that builds a loader builds it here.
data::BuiltLoader build_fresh_loader(const data::DataLoaderConfig& config, Generator& own,
                                     DatasetSource source, data::GeneratorPtr generator = nullptr);

} // namespace nnscope::workflows

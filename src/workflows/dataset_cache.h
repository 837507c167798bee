#pragma once
// The data sets the DataLoader lab's analyses read, opened once. Opening Fashion-MNIST reads and
// inflates 26 MB of gzip (over 100 ms), twice the lab's whole budget from an edit to the plots,
// and an edit of the sampler or the batch size does not change the data set. Data sets are
// immutable once open, so threads may share one. A file changed on disk after it was opened is
// not seen until it falls out of the cache (it keeps the kCapacity most recently used).

#include "data/loader_config.h"

#include <cstddef>

namespace nnscope::workflows {

inline constexpr std::size_t kDatasetCacheCapacity = 4;

// open_config_dataset(config) the first time a (dataset, test_split) pair is asked for; the same
// data set after that. The data set's own errors (unknown spec, unreadable files) are thrown each
// time, never cached.
data::DatasetPtr open_dataset_cached(const data::DataLoaderConfig& config);

} // namespace nnscope::workflows

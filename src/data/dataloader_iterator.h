#pragma once
// One pass of a DataLoader (PyTorch's _SingleProcessDataLoaderIter and
// _MultiProcessingDataLoaderIter). With workers, task k of the epoch goes to worker
// k % num_workers (round robin), at most prefetch_factor * num_workers tasks are outstanding,
// and results are handed out in task order. Destroying the iterator stops and joins every
// worker thread.

#include "data/dataloader.h"
#include "data/worker_info.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

namespace nnscope::data {

class DataLoaderIterator {
public:
    explicit DataLoaderIterator(const DataLoader& loader);
    ~DataLoaderIterator();
    DataLoaderIterator(const DataLoaderIterator&) = delete;
    DataLoaderIterator& operator=(const DataLoaderIterator&) = delete;

    // The next batch, or nullopt at the end of the epoch. A worker's exception is rethrown
    // here as std::runtime_error naming the worker and the sample index.
    std::optional<Batch> next();
    std::int64_t size() const { return static_cast<std::int64_t>(tasks_.size()); }
    std::int64_t base_seed() const { return base_seed_; }
    // Starts a new epoch on the same workers (persistent_workers).
    void reset();

private:
    struct Task {
        std::int64_t id;
        std::vector<std::int64_t> indices;
    };
    struct Result {
        Sample data;
        std::exception_ptr error;
    };

    void draw_epoch();    // the sampler's indices for this epoch, grouped into tasks
    void prime();         // hands out the first prefetch_factor * num_workers tasks
    void try_put_index(); // hands the next task to the next worker, if any is left
    Result fetch(const std::vector<std::int64_t>& indices, int worker) const;
    void worker_loop(int id);
    void shutdown();

    DatasetPtr dataset_;
    DataLoaderOptions options_;
    SamplerPtr sampler_;
    BatchSamplerPtr batch_sampler_;
    std::int64_t base_seed_ = 0;

    std::vector<std::vector<std::int64_t>> tasks_; // this epoch's index lists, in order
    std::size_t send_idx_ = 0, rcvd_idx_ = 0;
    int next_worker_ = 0;

    std::mutex mutex_;
    std::condition_variable work_cv_, result_cv_;
    std::vector<std::deque<Task>> queues_; // one per worker, bounded by the prefetch limit
    std::map<std::int64_t, Result> results_;
    int in_flight_ = 0; // tasks a worker has taken but not yet delivered
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

} // namespace nnscope::data

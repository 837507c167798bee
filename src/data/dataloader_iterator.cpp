#include "data/dataloader_iterator.h"

#include "engine/parallel.h"
#include "engine/random.h"

#include <chrono>
#include <sstream>
#include <stdexcept>

namespace nnscope::data {

namespace {

std::string seconds(double s) {
    std::ostringstream out;
    out << s;
    return out.str();
}

} // namespace

DataLoaderIterator::DataLoaderIterator(const DataLoader& loader)
    : dataset_(loader.dataset())
    , options_(loader.options())
    , sampler_(loader.sampler())
    , batch_sampler_(loader.batch_sampler()) {
    // _BaseDataLoaderIter draws the base seed before the sampler draws anything.
    base_seed_ = random_int64(generator_or_default(options_.generator));
    // The sampler draws before any thread exists, so that an error there leaves none behind.
    draw_epoch();
    for (int id = 0; id < options_.num_workers; ++id)
        workers_.emplace_back([this, id] { worker_loop(id); });
    prime();
}

DataLoaderIterator::~DataLoaderIterator() {
    shutdown();
}

void DataLoaderIterator::draw_epoch() {
    tasks_.clear();
    if (batch_sampler_) {
        tasks_ = batch_sampler_->batches();
    } else {
        for (std::int64_t i : sampler_->indices())
            tasks_.push_back({i});
    }
    send_idx_ = rcvd_idx_ = 0;
    next_worker_ = 0;
    queues_.assign(static_cast<std::size_t>(options_.num_workers), {});
}

void DataLoaderIterator::prime() {
    const auto limit = static_cast<std::size_t>(options_.prefetch_factor) * workers_.size();
    for (std::size_t k = 0; k < limit; ++k)
        try_put_index();
}

void DataLoaderIterator::reset() {
    {
        // Tasks not started are dropped; the few running ones (bounded by the prefetch limit)
        // finish and their results are thrown away.
        std::unique_lock lock(mutex_);
        for (auto& q : queues_)
            q.clear();
        result_cv_.wait(lock, [&] { return in_flight_ == 0; });
        results_.clear();
    }
    {
        std::lock_guard lock(mutex_);
        draw_epoch();
    }
    prime();
}

void DataLoaderIterator::try_put_index() {
    if (send_idx_ >= tasks_.size()) return;
    const int worker = next_worker_;
    next_worker_ = (next_worker_ + 1) % static_cast<int>(workers_.size());
    {
        std::lock_guard lock(mutex_);
        queues_[static_cast<std::size_t>(worker)].push_back(
            {static_cast<std::int64_t>(send_idx_), tasks_[send_idx_]});
    }
    ++send_idx_;
    work_cv_.notify_all();
}

DataLoaderIterator::Result DataLoaderIterator::fetch(const std::vector<std::int64_t>& indices,
                                                     int worker) const {
    Result r;
    std::vector<Sample> samples;
    std::int64_t current = -1;
    try {
        for (std::int64_t i : indices) {
            current = i;
            samples.push_back(dataset_->get(i));
        }
        current = -1;
        r.data = options_.collate_fn(std::move(samples));
    } catch (...) {
        std::string what = "unknown exception";
        try {
            throw;
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        std::string where =
            worker < 0 ? "in the main thread" : "in DataLoader worker " + std::to_string(worker);
        where += current >= 0 ? " while fetching sample index " + std::to_string(current)
                              : " while collating a batch";
        r.error = std::make_exception_ptr(
            std::runtime_error("Caught an exception " + where + ": " + what));
    }
    return r;
}

void DataLoaderIterator::worker_loop(int id) {
    // A worker is one of num_workers threads beside the training loop: its transforms and collate
    // run on it alone instead of each starting a team of engine threads on cores that are busy.
    const parallel::ThreadCap one_thread(1);
    Generator gen(static_cast<std::uint64_t>(base_seed_) + static_cast<std::uint64_t>(id));
    const WorkerInfo info{id, options_.num_workers,
                          static_cast<std::uint64_t>(base_seed_) + static_cast<std::uint64_t>(id),
                          &gen, dataset_.get()};
    set_worker_info(&info);
    // Anything drawing from "the default" in this worker (transforms, a dataset, worker_init_fn
    // seeding it) uses the worker's generator, as in a PyTorch worker process.
    const DefaultGeneratorScope scope(gen);
    std::exception_ptr init_error;
    if (options_.worker_init_fn) {
        try {
            options_.worker_init_fn(id);
        } catch (const std::exception& e) {
            init_error = std::make_exception_ptr(std::runtime_error(
                "Caught an exception in DataLoader worker " + std::to_string(id) +
                " while running worker_init_fn: " + e.what()));
        }
    }
    for (;;) {
        Task task;
        {
            std::unique_lock lock(mutex_);
            auto& q = queues_[static_cast<std::size_t>(id)];
            work_cv_.wait(lock, [&] { return stopping_ || !q.empty(); });
            if (stopping_) break;
            task = std::move(q.front());
            q.pop_front();
            ++in_flight_;
        }
        Result r = init_error ? Result{Sample(), init_error} : fetch(task.indices, id);
        {
            std::lock_guard lock(mutex_);
            --in_flight_;
            if (stopping_) break;
            results_[task.id] = std::move(r);
        }
        result_cv_.notify_all();
    }
    set_worker_info(nullptr);
}

std::optional<Batch> DataLoaderIterator::next() {
    if (rcvd_idx_ >= tasks_.size()) {
        if (!options_.persistent_workers) shutdown();
        return std::nullopt;
    }
    Batch batch;
    batch.indices = tasks_[rcvd_idx_];
    Result r;
    if (workers_.empty()) {
        r = fetch(batch.indices, -1);
        if (r.error) {
            ++rcvd_idx_;
            std::rethrow_exception(r.error);
        }
    } else {
        const auto id = static_cast<std::int64_t>(rcvd_idx_);
        std::unique_lock lock(mutex_);
        auto ready = [&] { return results_.count(id) > 0; };
        if (options_.timeout > 0) {
            const auto limit = std::chrono::duration<double>(options_.timeout);
            if (!result_cv_.wait_for(lock, limit, ready))
                throw std::runtime_error("DataLoader timed out after " + seconds(options_.timeout) +
                                         " seconds");
        } else {
            result_cv_.wait(lock, ready);
        }
        r = std::move(results_[id]);
        results_.erase(id);
        lock.unlock();
        ++rcvd_idx_;
        try_put_index(); // keeps prefetch_factor * num_workers tasks outstanding
        if (r.error) std::rethrow_exception(r.error);
    }
    if (workers_.empty()) ++rcvd_idx_;
    batch.data = std::move(r.data);
    return batch;
}

void DataLoaderIterator::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    work_cv_.notify_all();
    for (auto& t : workers_)
        if (t.joinable()) t.join();
}

} // namespace nnscope::data

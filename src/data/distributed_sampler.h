#pragma once
// DistributedSampler: this replica's share (every num_replicas-th index from rank) of a
// permutation seeded with seed + epoch, padded by repetition or cut to a multiple of replicas.

#include "data/sampler.h"

namespace nnscope::data {

class DistributedSampler : public Sampler {
public:
    // Throws "Invalid rank R, rank should be in the interval [0, num_replicas - 1]".
    DistributedSampler(std::int64_t data_size, std::int64_t num_replicas, std::int64_t rank,
                       bool shuffle = true, std::int64_t seed = 0, bool drop_last = false);
    std::int64_t size() const override { return num_samples_; }
    std::vector<std::int64_t> indices() override;
    void set_epoch(std::int64_t epoch) { epoch_ = epoch; }
    std::int64_t total_size() const { return num_samples_ * num_replicas_; }
    std::int64_t num_replicas() const { return num_replicas_; }
    std::int64_t rank() const { return rank_; }
    bool drop_last() const { return drop_last_; }

    // The epoch's list before it is split: every index once (a randperm seeded with
    // seed + epoch, or 0..n-1), without drop_last repeated from its start up to total_size()
    // (padding). Rank r takes positions r, r + num_replicas, ... below total_size(): positions
    // at or past n are padding; with drop_last the positions at or past total_size() are the
    // tail no rank gets.
    std::vector<std::int64_t> epoch_list() const;

private:
    std::int64_t n_, num_replicas_, rank_;
    bool shuffle_;
    std::int64_t seed_;
    bool drop_last_;
    std::int64_t epoch_ = 0;
    std::int64_t num_samples_;
};

} // namespace nnscope::data

// The losses of a TrainingHistory: every step, older ones merged into buckets.

#include "workflows/train_history_series.h"

#include <algorithm>
#include <cmath>

namespace nnscope::workflows::history_detail {

namespace {

void absorb(LossPoint& bucket, const LossPoint& point) {
    const auto count = bucket.count + point.count;
    bucket.loss =
        (bucket.loss * double(bucket.count) + point.loss * double(point.count)) / double(count);
    bucket.loss_min = std::fmin(bucket.loss_min, point.loss_min);
    bucket.loss_max = std::fmax(bucket.loss_max, point.loss_max);
    bucket.lr = point.lr;
    bucket.last_step = point.last_step;
    bucket.count = count;
}

} // namespace

bool LossSeries::pinned(const LossPoint& point) const {
    return point.count == 1 &&
           std::find(pinned_.begin(), pinned_.end(), point.step) != pinned_.end();
}

std::size_t LossSeries::merge(std::size_t from, std::size_t to) {
    std::size_t write = from;
    for (std::size_t read = from; read < to; ++read) {
        const LossPoint point = points_[read];
        if (write > 0) {
            LossPoint& last = points_[write - 1];
            if (!pinned(last) && !pinned(point) && last.step / width_ == point.step / width_) {
                absorb(last, point);
                continue;
            }
        }
        points_[write++] = point;
    }
    points_.erase(points_.begin() + std::ptrdiff_t(write), points_.begin() + std::ptrdiff_t(to));
    return write;
}

void LossSeries::push(const LossPoint& point, bool pinned) {
    if (pinned) pinned_.push_back(point.step);
    LossPoint whole = point;
    whole.loss_min = whole.loss_max = point.loss;
    whole.last_step = point.step;
    whole.count = 1;
    points_.push_back(whole);
    if (points_.size() - whole_from_ > 2 * recent_)
        whole_from_ = merge(whole_from_, points_.size() - recent_);
    while (points_.size() > budget_ && width_ <= point.step) {
        width_ *= 2;
        whole_from_ = merge(0, whole_from_);
    }
}

std::size_t LossSeries::bytes() const {
    return sizeof(*this) + points_.capacity() * sizeof(LossPoint) +
           pinned_.capacity() * sizeof(std::int64_t) + 2 * heap_block_overhead;
}

} // namespace nnscope::workflows::history_detail

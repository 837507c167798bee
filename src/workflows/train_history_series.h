#pragma once
// The thinned series a TrainingHistory keeps (an internal header of train_history.cpp): one
// module stream's or one parameter's points at the observed steps, and the losses of every step.

#include "workflows/train_history.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace nnscope::workflows::history_detail {

// What a point costs: its own bytes and those of its heap blocks (with malloc's ~16-byte header).
inline constexpr std::size_t heap_block_overhead = 16;
std::size_t heap_bytes(const StreamPoint& point);
inline std::size_t heap_bytes(const ParamPoint&) {
    return 0;
}

// Points in step order: the recent window whole, older ones while their observed index is on the
// stride, pinned ones always. Two deques, so that a point leaving the recent window moves in O(1).
template <class Point> class ThinnedSeries {
public:
    void push(std::int64_t index, bool pinned, Point point) {
        const std::size_t bytes = sizeof(Entry) + heap_bytes(point);
        recent_.push_back({index, pinned, std::move(point)});
        recent_bytes_ += bytes;
    }

    // Moves the points observed before `first_recent` out of the recent window, keeping those on
    // the stride or pinned.
    void settle(std::int64_t first_recent, std::int64_t stride) {
        while (!recent_.empty() && recent_.front().index < first_recent) {
            Entry& entry = recent_.front();
            const std::size_t bytes = sizeof(Entry) + heap_bytes(entry.point);
            recent_bytes_ -= bytes;
            if (keeps(entry, stride)) {
                old_bytes_ += bytes;
                old_.push_back(std::move(entry));
            }
            recent_.pop_front();
        }
    }

    // Drops the old points off the (doubled) stride.
    void thin(std::int64_t stride) {
        const auto end = std::remove_if(old_.begin(), old_.end(), [&](const Entry& entry) {
            if (keeps(entry, stride)) return false;
            old_bytes_ -= sizeof(Entry) + heap_bytes(entry.point);
            return true;
        });
        old_.erase(end, old_.end());
    }

    std::size_t size() const { return old_.size() + recent_.size(); }
    std::size_t old_bytes() const { return old_bytes_; }
    std::size_t recent_bytes() const { return recent_bytes_; }

    void collect(std::int64_t first, std::int64_t last, std::vector<const Point*>& out) const {
        collect(old_, first, last, out);
        collect(recent_, first, last, out);
    }

    const Point* nearest(std::int64_t step) const {
        const Point* best = nullptr;
        for (const auto* part : {&old_, &recent_}) {
            const auto it = lower_bound(*part, step);
            if (it != part->end()) best = closer(best, &it->point, step);
            if (it != part->begin()) best = closer(best, &std::prev(it)->point, step);
        }
        return best;
    }

private:
    struct Entry {
        std::int64_t index; // observed index
        bool pinned;
        Point point;
    };
    using Entries = std::deque<Entry>;

    static bool keeps(const Entry& entry, std::int64_t stride) {
        return entry.pinned || entry.index % stride == 0;
    }
    static typename Entries::const_iterator lower_bound(const Entries& entries, std::int64_t step) {
        return std::partition_point(entries.begin(), entries.end(),
                                    [&](const Entry& entry) { return entry.point.step < step; });
    }
    static void collect(const Entries& entries, std::int64_t first, std::int64_t last,
                        std::vector<const Point*>& out) {
        for (auto it = lower_bound(entries, first); it != entries.end() && it->point.step <= last;
             ++it)
            out.push_back(&it->point);
    }
    // The nearer of two points to `step`, the earlier on a tie.
    static const Point* closer(const Point* a, const Point* b, std::int64_t step) {
        if (!a) return b;
        const auto da = a->step > step ? a->step - step : step - a->step;
        const auto db = b->step > step ? b->step - step : step - b->step;
        if (db < da || (db == da && b->step < a->step)) return b;
        return a;
    }

    Entries old_, recent_;
    std::size_t old_bytes_ = 0, recent_bytes_ = 0;
};

// The loss and learning rate of every step: the newest `recent` to 2 x `recent` one point each,
// older ones merged into buckets aligned at multiples of width(), which doubles while the points
// exceed the budget. Pinned steps stay points of their own. The merging runs once per `recent`
// steps, so an append costs O(1) amortised.
class LossSeries {
public:
    LossSeries(std::size_t recent, std::size_t budget)
        : recent_(recent)
        , budget_(budget) {}

    void push(const LossPoint& point, bool pinned);
    const std::vector<LossPoint>& points() const { return points_; }
    std::int64_t width() const { return width_; }
    std::size_t bytes() const;

private:
    bool pinned(const LossPoint& point) const;
    // Merges points_[from, to) onto the buckets ending at `from`, erases what was merged and
    // returns where points_[to] now is.
    std::size_t merge(std::size_t from, std::size_t to);

    std::size_t recent_, budget_;
    std::vector<LossPoint> points_;
    std::vector<std::int64_t> pinned_; // steps never merged
    std::size_t whole_from_ = 0;       // points_[whole_from_, end) are one step each
    std::int64_t width_ = 1;
};

} // namespace nnscope::workflows::history_detail

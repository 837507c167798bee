#include "workflows/checkpoint_diff.h"

#include "io/open_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

namespace nnscope::workflows {

namespace {

std::string dtype_of(const io::TensorEntry& entry) {
    return entry.stored_dtype.empty() ? std::string(dtype_name(entry.dtype)) : entry.stored_dtype;
}

int rank(PairStatus status) {
    return static_cast<int>(status);
}

} // namespace

const char* to_string(PairStatus status) {
    switch (status) {
    case PairStatus::Matched:
        return "matched";
    case PairStatus::ShapeMismatch:
        return "shape differs";
    case PairStatus::OnlyInA:
        return "only in A";
    case PairStatus::OnlyInB:
        return "only in B";
    case PairStatus::Unreadable:
        return "unreadable";
    }
    return "";
}

std::int64_t CheckpointDiff::count(PairStatus status) const {
    return std::count_if(tensors.begin(), tensors.end(),
                         [status](const TensorComparison& t) { return t.status == status; });
}

bool strip_data_parallel(std::vector<std::string>& names) {
    if (names.empty()) return false;
    for (const std::string& name : names)
        if (!name.starts_with(data_parallel_prefix) || name.size() == data_parallel_prefix.size())
            return false;
    for (std::string& name : names)
        name.erase(0, data_parallel_prefix.size());
    return true;
}

std::vector<std::pair<std::string, const io::TensorEntry*>>
matched_entries(const io::ModelDocument& doc, bool* stripped) {
    std::vector<std::string> names;
    for (const io::TensorEntry& entry : doc.tensors)
        names.push_back(entry.name);
    const bool did = strip_data_parallel(names);
    if (stripped) *stripped = did;
    std::vector<std::pair<std::string, const io::TensorEntry*>> out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out.emplace_back(std::move(names[i]), &doc.tensors[i]);
    return out;
}

void sort_comparisons(std::vector<TensorComparison>& tensors, DiffOrder order) {
    if (order == DiffOrder::Name) {
        std::stable_sort(tensors.begin(), tensors.end(),
                         [](const auto& x, const auto& y) { return x.name < y.name; });
        return;
    }
    // Relative change is never NaN (diff_tensors defines its 0/0 case) but +infinity sorts first.
    auto key = [](const TensorComparison& t) {
        const bool compared = t.status == PairStatus::Matched && t.diff;
        const double change = compared ? t.diff->relative_change : 0.0;
        const double max_abs = compared ? t.diff->max_abs : 0.0;
        return std::make_tuple(compared ? 0 : 1 + rank(t.status), -change, -max_abs);
    };
    std::stable_sort(tensors.begin(), tensors.end(), [&](const auto& x, const auto& y) {
        const auto kx = key(x), ky = key(y);
        if (kx != ky) return kx < ky;
        return x.name < y.name;
    });
}

CheckpointComparison::CheckpointComparison(const std::filesystem::path& a,
                                           const std::filesystem::path& b, int bins)
    : doc_a_(io::open_model(a))
    , doc_b_(io::open_model(b)) {
    if (bins < 1) throw std::invalid_argument("diff: bins must be at least 1");
    diff_.file_a = a.string();
    diff_.file_b = b.string();
    diff_.bins = bins;
    const auto entries_a = matched_entries(doc_a_, &diff_.stripped_a);
    const auto entries_b = matched_entries(doc_b_, &diff_.stripped_b);
    const std::map<std::string, const io::TensorEntry*> map_a(entries_a.begin(), entries_a.end());
    const std::map<std::string, const io::TensorEntry*> map_b(entries_b.begin(), entries_b.end());
    auto add = [this](const std::string& name, const io::TensorEntry* ea,
                      const io::TensorEntry* eb) {
        TensorComparison t;
        t.name = name;
        if (ea) {
            t.shape_a = ea->shape;
            t.dtype_a = dtype_of(*ea);
        }
        if (eb) {
            t.shape_b = eb->shape;
            t.dtype_b = dtype_of(*eb);
        }
        if (!ea)
            t.status = PairStatus::OnlyInB;
        else if (!eb)
            t.status = PairStatus::OnlyInA;
        else if (ea->shape != eb->shape)
            t.status = PairStatus::ShapeMismatch;
        t.dtype_changed = ea && eb && t.dtype_a != t.dtype_b;
        if (t.status == PairStatus::Matched) {
            order_.push_back({diff_.tensors.size(), ea, eb});
            total_ += 2 * shape_numel(ea->shape);
        }
        diff_.tensors.push_back(std::move(t));
    };
    for (const auto& [name, entry] : entries_a) {
        const auto found = map_b.find(name);
        add(name, entry, found == map_b.end() ? nullptr : found->second);
    }
    for (const auto& [name, entry] : entries_b)
        if (!map_a.contains(name)) add(name, nullptr, entry);
}

void CheckpointComparison::next(const stats::StopRequested& stop) {
    if (done()) return;
    const Pending& p = order_[next_];
    TensorComparison& t = diff_.tensors[p.row];
    const std::int64_t before = done_;
    try {
        if (!p.a->stored_dtype.empty() || !p.b->stored_dtype.empty())
            throw std::runtime_error(
                "dtype " + (p.a->stored_dtype.empty() ? p.b->stored_dtype : p.a->stored_dtype) +
                " cannot be read as numbers");
        const Tensor a = p.a->load();
        const Tensor b = p.b->load();
        t.diff = diff_tensors(a, b, diff_.bins, stop,
                              [this, before](std::int64_t read) { done_ = before + read; });
    } catch (const stats::StatsCancelled&) {
        done_ = before;
        throw;
    } catch (const std::exception& e) {
        t.status = PairStatus::Unreadable;
        t.error = e.what();
    }
    done_ = before + 2 * shape_numel(p.a->shape);
    ++next_;
}

double CheckpointComparison::progress() const {
    if (total_ == 0) return done() ? 1.0 : 0.0;
    return std::clamp(static_cast<double>(done_) / static_cast<double>(total_), 0.0, 1.0);
}

CheckpointDiff CheckpointComparison::take(DiffOrder order) {
    CheckpointDiff out = std::move(diff_);
    sort_comparisons(out.tensors, order);
    diff_ = {};
    order_.clear();
    next_ = 0;
    return out;
}

CheckpointDiff compare_checkpoints(const std::filesystem::path& a, const std::filesystem::path& b,
                                   int bins, DiffOrder order, const stats::StopRequested& stop) {
    CheckpointComparison comparison(a, b, bins);
    while (!comparison.done())
        comparison.next(stop);
    return comparison.take(order);
}

} // namespace nnscope::workflows

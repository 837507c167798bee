#pragma once
// Two checkpoints of one model compared tensor by tensor: what only one of them holds, what
// changed shape or dtype, and for every pair of equal shape how far it moved (TensorDiff). Names
// are matched after stripping the "module." prefix nn.DataParallel adds, from a file only when
// every one of its names carries it (so "module.x" and "x" in one file never collide). Pairs of
// different dtypes are compared in float64 and marked. No Qt.
//
// The comparison runs one pair per next() call, reading the memory-mapped files chunk by chunk:
// a 1.5 GB state dict is never loaded whole, and a caller can stop between chunks.

#include "io/model_document.h"
#include "workflows/tensor_diff.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nnscope::workflows {

enum class PairStatus {
    Matched,       // same name and shape: `diff` holds the figures
    ShapeMismatch, // same name, different shapes: no values compared
    OnlyInA,
    OnlyInB,
    Unreadable, // a tensor could not be read (its dtype unknown, its bytes out of the file)
};
const char* to_string(PairStatus status); // "matched", "shape", "only in A", ...

struct TensorComparison {
    std::string name; // after stripping "module."
    PairStatus status = PairStatus::Matched;
    Shape shape_a, shape_b;         // empty for the side that lacks the tensor
    std::string dtype_a, dtype_b;   // PyTorch's names ("float32"); "" for a missing side
    bool dtype_changed = false;     // both present with different dtypes
    std::optional<TensorDiff> diff; // Matched pairs, once compared
    std::string error;              // Unreadable: why
};

struct CheckpointDiff {
    std::string file_a, file_b;
    bool stripped_a = false, stripped_b = false; // "module." removed from every name of A / B
    int bins = 0;
    std::vector<TensorComparison> tensors;
    std::int64_t count(PairStatus status) const;
};

enum class DiffOrder {
    Change, // matched pairs by relative change, largest first (ties: max |b - a|), then shape
            // mismatches, only-in-A, only-in-B and unreadable ones, each by name
    Name,
};
void sort_comparisons(std::vector<TensorComparison>& tensors, DiffOrder order);

// The prefix stripped from a file whose every tensor name starts with it.
inline constexpr std::string_view data_parallel_prefix = "module.";

class CheckpointComparison {
public:
    // Opens both files (io::open_model; throws naming the file that cannot be read). bins is the
    // difference histogram's bin count (torch.histc), > 0.
    CheckpointComparison(const std::filesystem::path& a, const std::filesystem::path& b,
                         int bins = 64);

    bool done() const { return next_ >= order_.size(); }
    // Compares the next matched pair (both tensors read chunk by chunk); an unreadable one is
    // marked as such. Throws stats::StatsCancelled when `stop` says so between chunks.
    void next(const stats::StopRequested& stop = {});
    // Elements read over elements to read, in [0, 1].
    double progress() const;
    const CheckpointDiff& result() const { return diff_; }
    // The finished comparison, in `order`.
    CheckpointDiff take(DiffOrder order = DiffOrder::Change);

private:
    io::ModelDocument doc_a_, doc_b_;
    CheckpointDiff diff_;
    // Matched pairs still to compare: (index into diff_.tensors, entry in A, entry in B).
    struct Pending {
        std::size_t row;
        const io::TensorEntry* a;
        const io::TensorEntry* b;
    };
    std::vector<Pending> order_;
    std::size_t next_ = 0;
    std::int64_t total_ = 0, done_ = 0;
};

// The whole comparison in one call (nnscope-cli diff, tests).
CheckpointDiff compare_checkpoints(const std::filesystem::path& a, const std::filesystem::path& b,
                                   int bins = 64, DiffOrder order = DiffOrder::Change,
                                   const stats::StopRequested& stop = {});

// "module." stripped from every name when every name carries it; whether it was.
bool strip_data_parallel(std::vector<std::string>& names);

// The document's tensors under the names they are matched by (strip_data_parallel), in file
// order; `stripped` (when given) says whether "module." was removed.
std::vector<std::pair<std::string, const io::TensorEntry*>>
matched_entries(const io::ModelDocument& doc, bool* stripped = nullptr);

} // namespace nnscope::workflows

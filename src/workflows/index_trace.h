#pragma once
// Indexing that explains itself (issue #17): torch.index_select, torch.gather and F.embedding
// run by the engine on a small input, with, for every output element, the input element it was
// copied from and the index element that chose it; after a backward with a given output
// gradient, the input's gradient and, per input element, how many output elements fed it
// (repeated indices accumulate, scatter-add). A call PyTorch refuses gives PyTorch's own
// exception and message instead. Qt-free; the window's indexing page draws these links.

#include "engine/tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::workflows {

enum class IndexOp { IndexSelect, Gather, Embedding };

// "index_select", "gather", "embedding"; index_op_from_name throws std::invalid_argument naming
// the three for any other name.
std::string index_op_name(IndexOp op);
IndexOp index_op_from_name(const std::string& name);

struct IndexTraceRequest {
    IndexOp op = IndexOp::IndexSelect;
    Tensor input;         // Embedding: the weight [num_embeddings, embedding_dim]
    std::int64_t dim = 0; // ignored by Embedding (always rows)
    Tensor index;         // Embedding: the indices, any shape
    std::optional<std::int64_t> padding_idx; // Embedding only
    Tensor grad_output;                      // undefined: no backward
};

// PyTorch's refusal: the Python exception ("IndexError", "RuntimeError", "AssertionError") and
// its message, word for word.
struct IndexRefusal {
    std::string exception;
    std::string message;
    // The positions in index (multi-indices) of every value outside the input's range, in
    // row-major order; empty when the refusal is about something else.
    std::vector<Shape> bad_positions;
    std::string what() const { return exception + ": " + message; }
};

struct IndexTrace {
    std::optional<IndexRefusal> refusal; // set: nothing below is
    std::int64_t dim = 0;                // wrapped into [0, input.dim())
    Tensor output;
    // Per output element, row-major: the input element it copies and the index element that
    // chose it (multi-indices; {} for a 0-dim tensor).
    std::vector<Shape> source;
    std::vector<Shape> chosen_by;
    // With a grad_output: the input's gradient and, per input element (row-major), how many
    // output elements added into it (0 for the padding row, whose gradient stays zero).
    Tensor grad_input;
    std::vector<std::int64_t> fan_in;
};

// Runs the op (and the backward when grad_output is defined). A floating input is needed for a
// backward; a grad_output of the wrong shape is refused with autograd's message.
IndexTrace trace_index(const IndexTraceRequest& request);

} // namespace nnscope::workflows

#pragma once
// What ties the indexing page's grids together, from a workflows::IndexTrace: per output element
// the input element it copies and the index element that chose it, and the reverse lists; the
// colour of each copied input element (its outputs share it); the tool tips and fan-in texts;
// and the PyTorch a learner would type for the same call.

#include "workflows/index_trace.h"

#include <QColor>
#include <QString>
#include <cstdint>
#include <vector>

namespace nnscope::ui {

struct IndexLinks {
    // Row-major element positions, per output element.
    std::vector<std::int64_t> source;    // in the input
    std::vector<std::int64_t> chosen_by; // in the index
    // Per input element and per index element: the output elements they feed or chose.
    std::vector<std::vector<std::int64_t>> outputs_of_input;
    std::vector<std::vector<std::int64_t>> outputs_of_index;
    // Per input element: its colour, invalid for an element no output copies; per output
    // element: its source's colour.
    std::vector<QColor> input_colours;
    std::vector<QColor> output_colours;
};

// The trace must not be a refusal.
IndexLinks linkIndexTrace(const workflows::IndexTrace& trace, const Shape& input_shape,
                          const Shape& index_shape);

// Marks of a selection: the output elements a chosen input or index element leads to, and the
// sources and index elements of those outputs (deduplicated, sorted).
std::vector<std::int64_t> sourcesOf(const IndexLinks& links, const std::vector<std::int64_t>& out);
std::vector<std::int64_t> choosersOf(const IndexLinks& links, const std::vector<std::int64_t>& out);

// " ×3" per input element of the gradient, " (padding)" for Embedding's padding row.
std::vector<QString> fanInSuffixes(const std::vector<std::int64_t>& fan_in,
                                   const std::vector<bool>& padding);

// The call in PyTorch ("torch.gather(x, 1, idx)", "F.embedding(idx, weight, padding_idx=0)")
// and the rule it applies ("out[i][j] = x[i][idx[i][j]]"), with dim as the learner gave it.
QString torchCall(workflows::IndexOp op, std::int64_t dim, std::optional<std::int64_t> padding);
QString indexFormula(workflows::IndexOp op, std::int64_t dim, std::size_t input_dims,
                     std::size_t index_dims);
// The whole computation as a Python script to paste: the tensors as literals, the call, and
// with a grad_output the backward; it prints out and the input's grad.
QString pythonSnippet(const workflows::IndexTraceRequest& request);
// A tensor as a torch.tensor(...) literal argument: "[[1.0, 2.0], [3.0, 4.0]]".
QString pythonLiteral(const Tensor& tensor);
// The name the page gives the input: "weight" for Embedding, else "x".
QString inputName(workflows::IndexOp op);

} // namespace nnscope::ui

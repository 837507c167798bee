#pragma once
// Which operator version a node of an ONNX model means. An ONNX model imports an opset; each
// operator then means its newest version not above it. The kernels implement the versions used
// at opsets 7 to 17. A model of an older opset (ONNX's backend tests still ship many at opset 1
// or 6) runs when its operator's version there is the one opset 7 would use: GlobalAveragePool-1,
// HardSigmoid-6, Conv-1 are; Add-6 (broadcast by attribute) and Gemm-6 are not.

#include <optional>
#include <string_view>

namespace nnscope::io {

// The opset (7..17) whose meaning of `op_type` equals its meaning at `opset`: `opset` itself
// within 7..17; 7 for an older opset when the operator did not change between the two; nothing
// otherwise (a newer opset, or a change since).
std::optional<int> onnx_kernel_opset(std::string_view op_type, int opset);

} // namespace nnscope::io

#pragma once
// F.pad: constant, reflect, replicate and circular padding of the last dims, differentiable
// (the gradient of a padded element goes back to the input element it copies, and copies of
// one element accumulate, as PyTorch's reflection/replication backward kernels do).

#include "engine/tensor.h"

#include <optional>
#include <string_view>
#include <vector>

namespace nnscope {

enum class PadMode { Constant, Reflect, Replicate, Circular };

// PyTorch's names: "constant", "reflect", "replicate", "circular"; anything else throws
// "Unrecognised padding mode <name>".
PadMode pad_mode_from_name(std::string_view name);
const char* pad_mode_name(PadMode mode);

// torch.nn.functional.pad(x, pad, mode, value) in PyTorch 1.13: `pad` holds (left, right)
// pairs from the last dim backwards; negative values crop. Non-constant modes pad the last 1, 2
// or 3 dims of a (batched or not) input as reflection_pad{1,2,3}d, replication_pad{1,2,3}d and
// _pad_circular do, with their checks and messages (reflect: every pad below the dim's size;
// circular: at most the size; value only with "constant").
Tensor pad(const Tensor& x, const std::vector<std::int64_t>& pad, PadMode mode = PadMode::Constant,
           std::optional<double> value = std::nullopt);

// The padding itself, on the last pad.size() / 2 dims of an input of any rank and dtype,
// without F.pad's rank and dtype rules (ONNX Pad uses it for any axis). Throws
// std::invalid_argument naming the dim when the mode cannot pad it (reflect: a pad not below
// the size; circular: a pad above it; any mode: an output size below 0).
Tensor pad_last_dims(const Tensor& x, const std::vector<std::int64_t>& pad, PadMode mode,
                     double value = 0.0);

} // namespace nnscope

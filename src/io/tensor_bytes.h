#pragma once
// Dtype-agnostic access to a tensor's elements whatever its strides, for writing files and for
// showing tensors of every dtype (float16 and bfloat16 included, which kernels do not handle).

#include "engine/tensor.h"

#include <cstddef>
#include <memory>
#include <vector>

namespace nnscope::io {

// A contiguous tensor over bytes in the file's little-endian layout (this machine's). Aligned bytes
// are viewed in place, kept alive by `owner` (a file read into memory, a parsed message);
// misaligned bytes, bool bytes other than 0/1 and bytes without an owner get a private copy
// (kernels read elements through typed pointers, and a bool must be 0 or 1).
Tensor tensor_over_bytes(std::byte* bytes, std::size_t nbytes, DType dtype, const Shape& shape,
                         std::shared_ptr<const void> owner);

// Little-endian unsigned integers of `element_bytes` (2, 4 or 8) that the engine has no dtype for,
// as a fresh tensor of one that holds their values: uint16 as int32 and uint32 as int64 (exact),
// uint64 as float64 (exact up to 2^53, rounded above). Throws std::invalid_argument for another
// size or a byte count that is not numel * element_bytes.
Tensor widen_unsigned(const std::byte* bytes, std::size_t nbytes, std::size_t element_bytes,
                      const Shape& shape);

// Copies the elements in row-major order into `out`, which holds numel() * element_size bytes.
void copy_to_contiguous_bytes(const Tensor& tensor, std::byte* out);

// Every element converted to double, in row-major order (bool as 0/1).
std::vector<double> to_double_values(const Tensor& tensor);

// A fresh contiguous float32 copy of a tensor of any dtype: float16/bfloat16 widen exactly,
// float64 and wide integers round to nearest, bool becomes 0/1. Not recorded by autograd.
Tensor to_float32(const Tensor& tensor);

} // namespace nnscope::io

#pragma once
// NumPy values as checkpoints hold them, read from their pickled form without NumPy: a dtype is
// numpy.dtype('f8', False, True) with a BUILD state whose second item is the byte order; a scalar
// is numpy.core.multiarray.scalar(dtype, raw bytes); an array is
// numpy.core.multiarray._reconstruct(ndarray, (0,), b'b') with a BUILD state
// (version, shape, dtype, is_fortran, raw bytes). All of them stay Placeholder values; these
// functions only read them.

#include "io/pickle/value.h"

#include <memory>
#include <optional>
#include <string>

namespace nnscope::io::pickle {

// A NumPy scalar's value as Python prints it ("0.5", "3", "True"); nullopt for anything else.
std::optional<std::string> numpy_scalar_text(const Value& value);

// A NumPy dtype as NumPy prints it ("dtype('float64')"); nullopt for anything else.
std::optional<std::string> numpy_dtype_text(const Value& value);

// Whether `value` is a pickled NumPy array (a _reconstruct placeholder).
bool is_numpy_array(const Value& value);

// The array as a tensor over its own bytes (carried in StorageRef::inline_bytes); null when its
// dtype has no nnscope DType, its byte order is big-endian or its data is not raw bytes.
std::shared_ptr<const TensorRef> numpy_array_tensor(const Value& value);

// "ndarray(shape=(2, 3), dtype=<U5)": what an array that cannot be a tensor is.
std::string numpy_array_summary(const Value& value);

} // namespace nnscope::io::pickle

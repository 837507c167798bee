#pragma once
// `summary` for any model file opened through io::open_model (PyTorch, TorchScript, safetensors,
// ONNX): the JSON form issue #4 specifies and a readable text form. Native models keep their own
// richer report in cmd_summary.cpp.

#include "io/model_document.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace nnscope::cli {

// {"format", "modules": [{"path", "type" (null when unknown)}], "tensors": [{"name", "shape",
// "dtype", "role", "numel"}], "totals": {"parameters", "buffers", "unknown"}, "metadata"}.
nlohmann::ordered_json document_json(const io::ModelDocument& document);

// Module tree with parameter counts, tensors with roles (inferred ones marked), totals, graph
// nodes by op type when there is a graph, and the file's metadata.
void print_document(std::ostream& out, const std::string& source,
                    const io::ModelDocument& document);

// 1234567 -> "1,234,567", as torchinfo prints counts.
std::string grouped(std::int64_t n);

} // namespace nnscope::cli

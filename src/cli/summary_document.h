#pragma once
// How `summary` shows an io::ModelSummary: the JSON form issue #4 specifies and readable text
// tables, for any file opened through io::open_model (PyTorch, TorchScript, safetensors, ONNX);
// native models keep their own report in cmd_summary.cpp, from the same summary.

#include "io/model_document.h"
#include "io/model_summary.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace nnscope::cli {

// {"format", "modules": [module_json] (the modules the file lists), "tensors": [tensor_json, with
// "shares_with" on tied names], "totals": {"parameters", "buffers", "unknown"}, "metadata"}.
nlohmann::ordered_json document_json(const io::ModelSummary& summary);

// Module tree with parameter counts (guessed types marked "?"), tensors with roles (inferred ones
// marked "*"), totals, graph nodes by op type when there is a graph, and the file's metadata.
void print_document(std::ostream& out, const std::string& source, const io::ModelDocument& document,
                    const io::ModelSummary& summary);

// {"name", "shape", "dtype", "role", "numel"} of one tensor row, with "role_inferred": true when
// the role was guessed from the name and "requires_grad" when the file records it.
nlohmann::ordered_json tensor_json(const io::TensorRow& row);

// {"path", "type" (null when unknown), "type_inferred": true and "type_reason" (guessed types
// only), "arguments" (null when none; guessed with the type), "parameters" (held directly),
// "total_parameters" (with its descendants)} of one module row.
nlohmann::ordered_json module_json(const io::ModuleRow& m);

// 1234567 -> "1,234,567", as torchinfo prints counts.
std::string grouped(std::int64_t n);

// The elements of the tensors with that role, tied ones counted once.
std::int64_t role_elements(const io::ModelSummary& summary, io::TensorRole role);

} // namespace nnscope::cli

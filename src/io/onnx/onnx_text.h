#pragma once
// Readable text for the parts of an ONNX graph that the document shows as strings: node
// attributes and the types of graph inputs and outputs.

#include "io/model_document.h"

#include <string>

namespace onnx {
class AttributeProto;
class ValueInfoProto;
} // namespace onnx

namespace nnscope::io {

// "3", "0.5", "[1, 1]", "'NOTSET'", "tensor int64 [1] = [0]", "graph 'body' (3 nodes)"; long
// lists are cut after 16 items with the count.
std::string onnx_attribute_text(const onnx::AttributeProto& attribute);

// Name, element type and dims (symbolic dims by name, "?" when unknown).
GraphValue onnx_graph_value(const onnx::ValueInfoProto& value);

// "float32 [batch, 3, 224, 224]", "sequence", "float32" (rank unknown).
std::string graph_value_text(const GraphValue& value);

} // namespace nnscope::io

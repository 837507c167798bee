#include "io/onnx/onnx_text.h"

#include "io/onnx/onnx_tensor.h"
#include "io/tensor_bytes.h"

#include <cctype>
#include <cstdio>
#include <exception>
#include <onnx/onnx_pb.h>

namespace nnscope::io {

namespace {

using onnx::AttributeProto;

constexpr int max_items = 16;

std::string number_text(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.9g", v);
    return buffer;
}

std::string quoted(const std::string& s) {
    for (const char c : s)
        if (!std::isprint(static_cast<unsigned char>(c)))
            return "<" + std::to_string(s.size()) + " bytes>";
    return "'" + s + "'";
}

template <class Field, class Format> std::string list_text(const Field& field, Format format) {
    std::string text = "[";
    const int n = field.size();
    for (int i = 0; i < n && i < max_items; ++i)
        text += (i ? ", " : "") + format(field.Get(i));
    if (n > max_items) text += ", ... (" + std::to_string(n) + " values)";
    return text + "]";
}

std::string tensor_text(const onnx::TensorProto& tensor) {
    std::string text = "tensor " + onnx_type_name(tensor.data_type()) + " [";
    for (int i = 0; i < tensor.dims_size(); ++i)
        text += (i ? ", " : "") + std::to_string(tensor.dims(i));
    text += "]";
    // Small inline tensors (Constant values, ConstantOfShape fills) are worth seeing.
    try {
        if (tensor.data_location() == onnx::TensorProto::EXTERNAL) return text;
        const Shape shape = onnx_tensor_shape(tensor, "attribute tensor");
        std::int64_t numel = 1;
        for (const auto d : shape)
            numel *= d;
        if (numel > 8) return text;
        const Tensor values = load_onnx_tensor(tensor, "attribute tensor", nullptr);
        std::string list = " = [";
        const auto doubles = to_double_values(values);
        for (std::size_t i = 0; i < doubles.size(); ++i)
            list += (i ? ", " : "") + number_text(doubles[i]);
        return text + list + "]";
    } catch (const std::exception&) {
        return text; // unreadable values are shown as type and dims only
    }
}

std::string graph_text(const onnx::GraphProto& graph) {
    return "graph '" + graph.name() + "' (" + std::to_string(graph.node_size()) + " nodes)";
}

// Files from before IR version 2 leave `type` unset: tell it from the field that holds a value.
AttributeProto::AttributeType attribute_type(const AttributeProto& a) {
    if (a.type() != AttributeProto::UNDEFINED) return a.type();
    if (a.has_f()) return AttributeProto::FLOAT;
    if (a.has_i()) return AttributeProto::INT;
    if (a.has_s()) return AttributeProto::STRING;
    if (a.has_t()) return AttributeProto::TENSOR;
    if (a.has_g()) return AttributeProto::GRAPH;
    if (a.floats_size()) return AttributeProto::FLOATS;
    if (a.ints_size()) return AttributeProto::INTS;
    if (a.strings_size()) return AttributeProto::STRINGS;
    if (a.tensors_size()) return AttributeProto::TENSORS;
    if (a.graphs_size()) return AttributeProto::GRAPHS;
    return AttributeProto::UNDEFINED;
}

} // namespace

std::string onnx_attribute_text(const AttributeProto& a) {
    switch (attribute_type(a)) {
    case AttributeProto::FLOAT:
        return number_text(a.f());
    case AttributeProto::INT:
        return std::to_string(a.i());
    case AttributeProto::STRING:
        return quoted(a.s());
    case AttributeProto::TENSOR:
        return tensor_text(a.t());
    case AttributeProto::GRAPH:
        return graph_text(a.g());
    case AttributeProto::SPARSE_TENSOR:
        return "sparse tensor";
    case AttributeProto::TYPE_PROTO:
        return "type";
    case AttributeProto::FLOATS:
        return list_text(a.floats(), [](float v) { return number_text(v); });
    case AttributeProto::INTS:
        return list_text(a.ints(), [](std::int64_t v) { return std::to_string(v); });
    case AttributeProto::STRINGS:
        return list_text(a.strings(), quoted);
    case AttributeProto::TENSORS:
        return list_text(a.tensors(), tensor_text);
    case AttributeProto::GRAPHS:
        return list_text(a.graphs(), graph_text);
    case AttributeProto::SPARSE_TENSORS:
        return std::to_string(a.sparse_tensors_size()) + " sparse tensors";
    case AttributeProto::TYPE_PROTOS:
        return std::to_string(a.type_protos_size()) + " types";
    default:
        return a.has_ref_attr_name() ? "ref " + a.ref_attr_name() : "(no value)";
    }
}

GraphValue onnx_graph_value(const onnx::ValueInfoProto& value) {
    GraphValue out;
    out.name = value.name();
    if (!value.has_type()) return out;
    const onnx::TypeProto& type = value.type();
    switch (type.value_case()) {
    case onnx::TypeProto::kTensorType: {
        const auto& tensor = type.tensor_type();
        out.type = onnx_type_name(tensor.elem_type());
        if (!tensor.has_shape()) return out;
        std::vector<std::string> dims;
        for (const auto& dim : tensor.shape().dim()) {
            if (dim.has_dim_value())
                dims.push_back(std::to_string(dim.dim_value()));
            else if (dim.has_dim_param() && !dim.dim_param().empty())
                dims.push_back(dim.dim_param());
            else
                dims.emplace_back("?");
        }
        out.shape = std::move(dims);
        return out;
    }
    case onnx::TypeProto::kSequenceType:
        out.type = "sequence";
        return out;
    case onnx::TypeProto::kMapType:
        out.type = "map";
        return out;
    case onnx::TypeProto::kOptionalType:
        out.type = "optional";
        return out;
    case onnx::TypeProto::kSparseTensorType:
        out.type = "sparse " + onnx_type_name(type.sparse_tensor_type().elem_type());
        return out;
    default:
        return out;
    }
}

std::string graph_value_text(const GraphValue& value) {
    std::string text = value.type.empty() ? "type unknown" : value.type;
    if (!value.shape) return text;
    text += " [";
    for (std::size_t i = 0; i < value.shape->size(); ++i)
        text += (i ? ", " : "") + (*value.shape)[i];
    return text + "]";
}

} // namespace nnscope::io

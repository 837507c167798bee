#include "io/onnx/onnx_ops.h"

#include "engine/ops/reduce.h"
#include "io/onnx/onnx_tensor.h"

#include <onnx/onnx_pb.h>

namespace nnscope::io::onnx_ops {

namespace {

const char* type_name(int type) {
    switch (type) {
    case onnx::AttributeProto::INT:
        return "int";
    case onnx::AttributeProto::FLOAT:
        return "float";
    case onnx::AttributeProto::STRING:
        return "string";
    case onnx::AttributeProto::INTS:
        return "ints";
    case onnx::AttributeProto::FLOATS:
        return "floats";
    case onnx::AttributeProto::STRINGS:
        return "strings";
    case onnx::AttributeProto::TENSOR:
        return "tensor";
    default:
        return "other";
    }
}

const Registry& registry() {
    static const Registry table = [] {
        Registry r;
        register_math_ops(r);
        register_nn_ops(r);
        register_shape_ops(r);
        register_recurrent_ops(r);
        register_einsum_op(r);
        register_resize_op(r);
        return r;
    }();
    return table;
}

} // namespace

const onnx::AttributeProto* Attributes::find(const std::string& name) const {
    for (const auto& a : node_.attribute())
        if (a.name() == name) return &a;
    return nullptr;
}

const onnx::AttributeProto& Attributes::get(const std::string& name, int type) const {
    const onnx::AttributeProto* a = find(name);
    if (a->type() != type && a->type() != onnx::AttributeProto::UNDEFINED)
        throw Unsupported("attribute " + name + " is of type " + type_name(a->type()) + ", not " +
                          type_name(type));
    return *a;
}

std::int64_t Attributes::i(const std::string& name, std::int64_t fallback) const {
    return has(name) ? get(name, onnx::AttributeProto::INT).i() : fallback;
}

double Attributes::f(const std::string& name, double fallback) const {
    return has(name) ? get(name, onnx::AttributeProto::FLOAT).f() : fallback;
}

std::string Attributes::s(const std::string& name, const std::string& fallback) const {
    return has(name) ? get(name, onnx::AttributeProto::STRING).s() : fallback;
}

std::vector<std::int64_t> Attributes::ints(const std::string& name,
                                           std::vector<std::int64_t> fallback) const {
    if (!has(name)) return fallback;
    const auto& a = get(name, onnx::AttributeProto::INTS);
    return {a.ints().begin(), a.ints().end()};
}

std::vector<double> Attributes::floats(const std::string& name) const {
    if (!has(name)) return {};
    const auto& a = get(name, onnx::AttributeProto::FLOATS);
    return {a.floats().begin(), a.floats().end()};
}

std::vector<std::string> Attributes::strings(const std::string& name) const {
    if (!has(name)) return {};
    const auto& a = get(name, onnx::AttributeProto::STRINGS);
    return {a.strings().begin(), a.strings().end()};
}

Tensor Attributes::t(const std::string& name) const {
    const auto& a = get(name, onnx::AttributeProto::TENSOR);
    try {
        return load_onnx_tensor(a.t(), "attribute " + name, nullptr);
    } catch (const std::exception& e) {
        throw Unsupported(e.what());
    }
}

void Attributes::allow_only(std::initializer_list<const char*> known) const {
    std::string unknown;
    for (const auto& a : node_.attribute()) {
        bool ok = false;
        for (const char* k : known)
            ok = ok || a.name() == k;
        if (!ok) unknown += (unknown.empty() ? "" : ", ") + a.name();
    }
    if (!unknown.empty()) throw Unsupported("attribute " + unknown + " not supported");
}

void NodeInfo::refuse_input(std::size_t i, const std::string& what) const {
    if (has_input(i)) throw Unsupported(what + " (input " + std::to_string(i) + ") not supported");
}

void NodeInfo::refuse_outputs_beyond(std::size_t n) const {
    if (outputs > n)
        throw Unsupported("output " + std::to_string(n) + " and later outputs not supported");
}

void NodeInfo::require_rank(std::size_t i, int lo, int hi) const {
    if (i < input_ranks.size() && input_ranks[i] >= 0 &&
        (input_ranks[i] < lo || input_ranks[i] > hi))
        throw Unsupported("input " + std::to_string(i) + " of rank " +
                          std::to_string(input_ranks[i]) + " not supported (" + std::to_string(lo) +
                          " to " + std::to_string(hi) + " are)");
}

void NodeInfo::require_floating(std::size_t i) const {
    if (i < input_types.size() && input_types[i] && !is_floating_point(*input_types[i]))
        throw Unsupported("input " + std::to_string(i) + " of type " +
                          std::string(dtype_name(*input_types[i])) + " not supported");
}

Builder find_builder(const std::string& op_type) {
    const auto it = registry().find(op_type);
    return it == registry().end() ? nullptr : it->second;
}

std::vector<std::int64_t> ints_of(const Tensor& t) {
    return t.to_int64_vector();
}

std::int64_t axis_of(std::int64_t axis, std::int64_t rank, const char* op) {
    return wrap_dim(axis, rank, op);
}

Tensor as_run_type(const Tensor& t, const NodeInfo& node) {
    if (!t.defined() || !t.is_floating_point() || t.dtype() == node.float_type() || !node.float64)
        return t;
    return t.to(DType::Float64);
}

Tensor max_over(const Tensor& x, const Shape& dims, bool keepdim) {
    Tensor y = x;
    for (auto it = dims.rbegin(); it != dims.rend(); ++it)
        y = max(y, *it, keepdim).first;
    return y;
}

const Tensor& need(const Values& in, std::size_t i, const char* op) {
    if (i >= in.size() || !in[i].defined())
        throw std::runtime_error(std::string(op) + ": input " + std::to_string(i) + " is required");
    return in[i];
}

} // namespace nnscope::io::onnx_ops

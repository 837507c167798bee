#include "io/onnx/onnx_graph_plan.h"

#include "io/onnx/onnx_opset.h"
#include "io/onnx/onnx_tensor.h"
#include "io/onnx/onnx_tree.h"

#include <fstream>
#include <google/protobuf/io/coded_stream.h>
#include <onnx/onnx_pb.h>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

namespace nnscope::io::detail {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& problem) {
    throw std::runtime_error(path.string() + ": " + problem);
}

onnx::ModelProto parse(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) fail(path, "cannot open the file");
    std::ostringstream bytes;
    bytes << file.rdbuf();
    const std::string data = std::move(bytes).str();
    if (data.size() > static_cast<std::size_t>(INT32_MAX))
        fail(path, "over 2 GB: not an ONNX protobuf message");
    google::protobuf::io::CodedInputStream coded(reinterpret_cast<const std::uint8_t*>(data.data()),
                                                 static_cast<int>(data.size()));
    coded.SetTotalBytesLimit(static_cast<int>(data.size()));
    onnx::ModelProto model;
    if (!model.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage())
        fail(path, "not an ONNX model (the protobuf message does not parse)");
    if (!model.has_graph()) fail(path, "the model has no graph");
    return model;
}

int default_opset(const onnx::ModelProto& model) {
    for (const auto& o : model.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx") return static_cast<int>(o.version());
    return 0;
}

GraphInput graph_input(const onnx::ValueInfoProto& info) {
    GraphInput in;
    in.name = info.name();
    if (info.type().has_tensor_type()) {
        const auto& tt = info.type().tensor_type();
        in.dtype = dtype_from_onnx(tt.elem_type());
        if (tt.has_shape()) {
            in.has_shape = true;
            for (const auto& d : tt.shape().dim())
                in.dims.push_back(d.has_dim_value() ? std::optional(d.dim_value()) : std::nullopt);
        }
    }
    return in;
}

std::string node_label(const onnx::NodeProto& node, std::size_t index) {
    return (node.name().empty() ? "#" + std::to_string(index) : node.name()) + " (" +
           node.op_type() + ")";
}

// Kahn's algorithm: each node after the producers of its inputs. Names nodes on a cycle.
std::vector<std::size_t> run_order(const onnx::GraphProto& graph,
                                   const std::unordered_set<std::string>& given,
                                   std::vector<std::string>& problems) {
    const int n = graph.node_size();
    std::unordered_map<std::string, std::size_t> producer;
    for (int i = 0; i < n; ++i)
        for (const auto& out : graph.node(i).output()) {
            if (out.empty()) continue;
            if (given.count(out) || !producer.emplace(out, i).second)
                problems.push_back("value " + out + " is produced twice (again by node " +
                                   node_label(graph.node(i), i) + ")");
        }
    std::vector<std::vector<std::size_t>> users(n);
    std::vector<std::size_t> waiting(n, 0);
    for (int i = 0; i < n; ++i)
        for (const auto& in : graph.node(i).input()) {
            if (in.empty() || given.count(in)) continue;
            const auto it = producer.find(in);
            if (it == producer.end()) {
                problems.push_back("node " + node_label(graph.node(i), i) + " reads " + in +
                                   ", which is no graph input, initializer or node output");
                continue;
            }
            users[it->second].push_back(i);
            ++waiting[i];
        }
    std::vector<std::size_t> order, ready;
    for (int i = n - 1; i >= 0; --i)
        if (waiting[i] == 0) ready.push_back(i);
    while (!ready.empty()) {
        // Lowest index first keeps the file's order when it already runs.
        auto lowest = std::min_element(ready.begin(), ready.end());
        const std::size_t i = *lowest;
        ready.erase(lowest);
        order.push_back(i);
        for (std::size_t u : users[i])
            if (--waiting[u] == 0) ready.push_back(u);
    }
    if (problems.empty() && order.size() < static_cast<std::size_t>(n)) {
        std::string stuck;
        for (int i = 0; i < n; ++i)
            if (waiting[i] > 0) stuck += (stuck.empty() ? "" : ", ") + node_label(graph.node(i), i);
        problems.push_back("the graph has a cycle; these nodes wait on each other: " + stuck);
    }
    for (const auto& out : graph.output())
        if (!given.count(out.name()) && !producer.count(out.name()))
            problems.push_back("graph output " + out.name() + " is produced by no node");
    return order;
}

} // namespace

GraphPlan plan_onnx_graph(const std::filesystem::path& path, bool float64) {
    const onnx::ModelProto model = parse(path);
    const onnx::GraphProto& graph = model.graph();
    const int opset = default_opset(model);
    GraphPlan plan;
    plan.float64 = float64;

    ExternalDataFiles external(path.parent_path());
    for (const auto& init : graph.initializer()) {
        Tensor t;
        try {
            t = load_onnx_tensor(init, "initializer " + init.name(), &external);
        } catch (const std::exception& e) {
            fail(path, e.what());
        }
        if (float64 && t.is_floating_point()) t = t.to(DType::Float64);
        plan.initializers[init.name()] = t;
    }
    std::unordered_set<std::string> given;
    for (const auto& [name, t] : plan.initializers)
        given.insert(name);
    for (const auto& info : graph.input()) {
        if (plan.initializers.count(info.name())) continue;
        plan.inputs.push_back(graph_input(info));
        given.insert(info.name());
    }
    for (const auto& out : graph.output())
        plan.outputs.push_back(out.name());
    if (plan.outputs.empty()) fail(path, "the graph has no outputs");

    // Every node (and graph value of a type we lack) outside the supported set, named at once.
    std::vector<std::string> unsupported;
    std::unordered_map<std::string, std::pair<std::optional<DType>, int>> declared;
    auto declare = [&](const onnx::ValueInfoProto& info, const char* role) {
        if (!info.type().has_tensor_type()) {
            unsupported.push_back(std::string(role) + " " + info.name() +
                                  ": not a tensor (sequence, map or optional) not supported");
            return;
        }
        const auto& tt = info.type().tensor_type();
        const std::optional<DType> type = dtype_from_onnx(tt.elem_type());
        if (!type || *type == DType::BFloat16)
            unsupported.push_back(std::string(role) + " " + info.name() + ": element type " +
                                  onnx_type_name(tt.elem_type()) + " not supported");
        declared[info.name()] = {type, tt.has_shape() ? tt.shape().dim_size() : -1};
    };
    for (const auto& info : graph.input())
        if (!plan.initializers.count(info.name())) declare(info, "graph input");
    for (const auto& info : graph.output())
        declare(info, "graph output");
    for (const auto& info : graph.value_info())
        if (info.type().has_tensor_type()) declare(info, "value");
    for (const auto& [name, t] : plan.initializers)
        declared[name] = {t.dtype(), static_cast<int>(t.dim())};
    std::vector<onnx_ops::Kernel> kernels(graph.node_size());
    for (int i = 0; i < graph.node_size(); ++i) {
        const onnx::NodeProto& node = graph.node(i);
        std::string why;
        if (!node.domain().empty() && node.domain() != "ai.onnx") {
            why = "domain " + node.domain() + " not supported";
        } else if (!onnx_kernel_opset(node.op_type(), opset)) {
            why = "opset " + std::to_string(opset) + " not supported" +
                  (opset < 7
                       ? " for " + node.op_type() + " (it changed at a later opset; 7 to 17 are)"
                       : std::string(" (7 to 17 are)"));
        } else if (const onnx_ops::Builder build = onnx_ops::find_builder(node.op_type())) {
            onnx_ops::NodeInfo info{node,
                                    onnx_ops::Attributes(node),
                                    *onnx_kernel_opset(node.op_type(), opset),
                                    float64,
                                    static_cast<std::size_t>(node.input_size()),
                                    static_cast<std::size_t>(node.output_size()),
                                    {},
                                    {},
                                    {}};
            for (const auto& in : node.input()) {
                info.present.push_back(!in.empty());
                const auto it = declared.find(in);
                info.input_types.push_back(it == declared.end() ? std::nullopt : it->second.first);
                info.input_ranks.push_back(it == declared.end() ? -1 : it->second.second);
            }
            try {
                kernels[i] = build(info);
            } catch (const onnx_ops::Unsupported& e) {
                why = e.what();
            }
        } else {
            why = "operator not supported";
        }
        if (!why.empty()) unsupported.push_back(node_label(node, i) + ": " + why);
    }
    if (!unsupported.empty()) {
        std::string message =
            std::to_string(unsupported.size()) + " node(s) outside the supported ONNX operators:";
        for (const auto& u : unsupported)
            message += "\n  " + u;
        fail(path, message);
    }

    std::vector<std::string> problems;
    const std::vector<std::size_t> order = run_order(graph, given, problems);
    if (!problems.empty()) {
        std::string message = "malformed graph:";
        for (const auto& p : problems)
            message += "\n  " + p;
        fail(path, message);
    }
    for (std::size_t i : order) {
        const onnx::NodeProto& node = graph.node(static_cast<int>(i));
        NodePlan p;
        p.name = node.name().empty() ? node.op_type() + "_" + std::to_string(i) : node.name();
        p.op_type = node.op_type();
        p.scope = node_scope(node.name()).module;
        for (int k = 0; k < node.input_size(); ++k) {
            p.input_names.push_back(node.input(k));
            if (!node.input(k).empty() && !plan.initializers.count(node.input(k)))
                p.dynamic.push_back(static_cast<std::size_t>(k));
        }
        p.output_names.assign(node.output().begin(), node.output().end());
        p.kernel = std::move(kernels[i]);
        plan.nodes.push_back(std::move(p));
    }
    return plan;
}

void check_graph_input(const GraphInput& input, const Tensor& value) {
    if (!value.defined()) throw std::invalid_argument("graph input " + input.name + " is missing");
    if (!input.has_shape) return;
    const Shape& shape = value.shape();
    bool ok = shape.size() == input.dims.size();
    for (std::size_t d = 0; ok && d < shape.size(); ++d)
        ok = !input.dims[d] || *input.dims[d] == shape[d];
    if (ok) return;
    std::string want = "[";
    for (std::size_t d = 0; d < input.dims.size(); ++d)
        want += (d ? ", " : "") + (input.dims[d] ? std::to_string(*input.dims[d]) : "?");
    throw std::invalid_argument("graph input " + input.name + " expects shape " + want + "], got " +
                                shape_to_string(shape));
}

} // namespace nnscope::io::detail

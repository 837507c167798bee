#include "io/onnx/onnx_model.h"

#include "io/mapped_file.h"
#include "io/onnx/onnx_tensor.h"
#include "io/onnx/onnx_text.h"

#include <climits>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <memory>
#include <onnx/onnx_pb.h>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace nnscope::io {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& problem) {
    throw std::runtime_error(path.string() + ": " + problem);
}

std::shared_ptr<const onnx::ModelProto> parse_model(const std::filesystem::path& path) {
    const auto file = MappedFile::open(path);
    if (file->size() > static_cast<std::size_t>(INT_MAX))
        fail(path, "larger than 2 GB, which no protobuf message can be (ONNX models that large "
                   "keep their tensors as external data)");
    const int size = static_cast<int>(file->size());
    google::protobuf::io::ArrayInputStream input(file->data(), size);
    google::protobuf::io::CodedInputStream coded(&input);
    coded.SetTotalBytesLimit(size);
    auto model = std::make_shared<onnx::ModelProto>();
    if (!model->ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage())
        fail(path, "not a valid ONNX model: the protobuf message is truncated or corrupt");
    if (!model->has_graph() || !model->has_ir_version())
        fail(path, "not an ONNX model: no graph or no IR version");
    return model;
}

// Module path of a scoped node name. torch.onnx writes "/features/features.0/Conv": each scope is
// the full dotted module path, the last part is the node's own name. Other exporters write
// "sequential/dense/MatMul": scopes are joined with dots.
std::string module_of_node(const std::string& name) {
    std::vector<std::string> parts;
    std::size_t begin = 0;
    while (begin <= name.size()) {
        const std::size_t slash = std::min(name.find('/', begin), name.size());
        if (slash > begin) parts.push_back(name.substr(begin, slash - begin));
        begin = slash + 1;
    }
    if (parts.size() < 2 || name.find('/') == std::string::npos) return "";
    parts.pop_back();
    bool torch_style = true;
    for (std::size_t i = 1; i < parts.size(); ++i)
        torch_style = torch_style && parts[i].rfind(parts[i - 1] + ".", 0) == 0;
    if (torch_style) return parts.back();
    std::string path;
    for (const auto& part : parts)
        path += (path.empty() ? "" : ".") + part;
    return path;
}

void add_metadata(const onnx::ModelProto& model, ModelDocument& document) {
    auto& meta = document.metadata;
    meta["ir_version"] = std::to_string(model.ir_version());
    if (model.has_producer_name()) meta["producer_name"] = model.producer_name();
    if (model.has_producer_version()) meta["producer_version"] = model.producer_version();
    if (model.has_domain()) meta["domain"] = model.domain();
    if (model.has_model_version()) meta["model_version"] = std::to_string(model.model_version());
    if (model.has_doc_string()) meta["doc_string"] = model.doc_string();
    for (const auto& opset : model.opset_import())
        meta["opset." + (opset.domain().empty() ? std::string("ai.onnx") : opset.domain())] =
            std::to_string(opset.version());
    for (const auto& prop : model.metadata_props())
        meta["metadata_props." + prop.key()] = prop.value();
    const onnx::GraphProto& graph = model.graph();
    meta["graph.name"] = graph.name();
    if (graph.has_doc_string()) meta["graph.doc_string"] = graph.doc_string();
    meta["graph.nodes"] = std::to_string(graph.node_size());
    meta["graph.initializers"] = std::to_string(graph.initializer_size());
    if (graph.sparse_initializer_size())
        meta["graph.sparse_initializers"] =
            std::to_string(graph.sparse_initializer_size()) + " (not listed as tensors)";
    for (const auto& value : document.graph_inputs)
        meta["graph.input." + value.name] = graph_value_text(value);
    for (const auto& value : document.graph_outputs)
        meta["graph.output." + value.name] = graph_value_text(value);
}

void add_nodes(const onnx::GraphProto& graph, ModelDocument& document) {
    for (const auto& proto : graph.node()) {
        GraphNode node;
        node.name = proto.name();
        node.op_type = proto.op_type();
        node.domain = proto.domain();
        node.module = module_of_node(proto.name());
        node.inputs.assign(proto.input().begin(), proto.input().end());
        node.outputs.assign(proto.output().begin(), proto.output().end());
        for (const auto& attribute : proto.attribute())
            node.attributes.emplace_back(attribute.name(), onnx_attribute_text(attribute));
        document.nodes.push_back(std::move(node));
    }
}

// Scopes of the node names, with their dotted ancestors, then any further paths the dotted
// initializer names imply. A module with exactly one node and no submodule is that operator.
void add_modules(ModelDocument& document) {
    std::unordered_set<std::string> seen;
    std::unordered_map<std::string, int> direct_nodes;
    std::unordered_map<std::string, const GraphNode*> only_node;
    auto add_path = [&](const std::string& path) {
        check_module_depth(path, "node scope");
        for (std::size_t dot = path.find('.'); dot != std::string::npos;
             dot = path.find('.', dot + 1))
            if (seen.insert(path.substr(0, dot)).second)
                document.modules.emplace_back(path.substr(0, dot), "");
        if (seen.insert(path).second) document.modules.emplace_back(path, "");
    };
    for (const auto& node : document.nodes) {
        if (node.module.empty()) continue;
        add_path(node.module);
        ++direct_nodes[node.module];
        only_node[node.module] = &node;
    }
    for (const auto& [path, type] : modules_from_tensor_names(document.tensors))
        add_path(path);
    std::unordered_set<std::string> parents;
    for (const auto& [path, type] : document.modules)
        if (const auto dot = path.rfind('.'); dot != std::string::npos)
            parents.insert(path.substr(0, dot));
    for (auto& [path, type] : document.modules) {
        const auto count = direct_nodes.find(path);
        if (count == direct_nodes.end() || count->second != 1 || parents.count(path)) continue;
        const GraphNode& node = *only_node[path];
        type = node.op_type;
        std::string arguments;
        for (const auto& [name, value] : node.attributes)
            arguments += (arguments.empty() ? "" : ", ") + name + "=" + value;
        document.module_arguments[path] = arguments;
    }
}

void add_initializers(const std::shared_ptr<const onnx::ModelProto>& model,
                      const std::filesystem::path& path, ModelDocument& document) {
    const auto external = std::make_shared<ExternalDataFiles>(
        path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path());
    for (const auto& tensor : model->graph().initializer()) {
        TensorEntry entry;
        entry.name = tensor.name();
        const std::string what = path.string() + ": initializer '" + tensor.name() + "'";
        entry.shape = onnx_tensor_shape(tensor, what);
        if (const auto dtype = dtype_from_onnx(tensor.data_type()))
            entry.dtype = *dtype;
        else
            entry.stored_dtype = onnx_type_name(tensor.data_type());
        entry.role =
            entry.stored_dtype.empty() ? infer_state_dict_role(entry.name, entry.dtype) : "unknown";
        entry.role_inferred = true;
        // A file whose tensors cannot be what it claims is refused when opened, not later.
        if (entry.stored_dtype.empty()) check_onnx_tensor(tensor, what, external.get());
        // The model (which owns the TensorProto) and the external files live as long as any
        // loader does.
        entry.load = [model, external, proto = &tensor, what] {
            try {
                return load_onnx_tensor(*proto, what, external.get());
            } catch (const std::runtime_error& e) {
                // External files report themselves: say which tensor wanted them.
                const std::string message = e.what();
                if (message.rfind(what, 0) == 0) throw;
                throw std::runtime_error(what + ": " + message);
            }
        };
        document.tensors.push_back(std::move(entry));
    }
}

} // namespace

ModelDocument open_onnx_file(const std::filesystem::path& path) {
    const auto model = parse_model(path);
    const onnx::GraphProto& graph = model->graph();
    ModelDocument document;
    document.format = "onnx";
    add_initializers(model, path, document);
    std::unordered_set<std::string> initializer_names;
    for (const auto& tensor : graph.initializer())
        initializer_names.insert(tensor.name());
    for (const auto& input : graph.input())
        if (!initializer_names.count(input.name()))
            document.graph_inputs.push_back(onnx_graph_value(input));
    for (const auto& output : graph.output())
        document.graph_outputs.push_back(onnx_graph_value(output));
    add_nodes(graph, document);
    try {
        add_modules(document);
    } catch (const std::runtime_error& e) {
        fail(path, e.what());
    }
    add_metadata(*model, document);
    return document;
}

} // namespace nnscope::io

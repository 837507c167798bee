#include "io/onnx/onnx_model.h"

#include "io/file_source.h"
#include "io/onnx/onnx_tensor.h"
#include "io/onnx/onnx_text.h"
#include "io/onnx/onnx_tree.h"
#include "io/type_inference.h"

#include <climits>
#include <cstdint>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <memory>
#include <onnx/onnx_pb.h>
#include <optional>
#include <stdexcept>
#include <unordered_set>

namespace nnscope::io {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& problem) {
    throw std::runtime_error(path.string() + ": " + problem);
}

// Protobuf's wire format, as far as the cut below needs it.
bool read_varint(const std::uint8_t* data, std::size_t end, std::size_t& pos, std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) return false;
        const std::uint8_t byte = data[pos++];
        v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return true;
    }
    return false;
}

void write_varint(std::string& out, std::uint64_t v) {
    for (; v > 0x7f; v >>= 7)
        out += static_cast<char>((v & 0x7f) | 0x80);
    out += static_cast<char>(v);
}

// Field numbers of onnx.proto on the way to the initializers' bytes.
constexpr std::uint64_t model_graph = 7, graph_initializer = 5, tensor_raw_data = 9;

// Copies the fields of the message in data[begin, end) to `out` (nesting `level`: 0 ModelProto,
// 1 GraphProto, 2 TensorProto), leaving out raw_data fields of initializers: their place goes to
// `raws`, one entry per initializer in the order the parser will list them (a repeated field
// keeps file order, a singular one repeated is merged). False when the bytes do not walk as
// protobuf; the parser then reports what is wrong with them.
bool cut_raw_data(const std::uint8_t* data, std::size_t begin, std::size_t end, int level,
                  std::string& out,
                  std::vector<std::optional<std::pair<std::size_t, std::size_t>>>& raws) {
    std::size_t pos = begin;
    while (pos < end) {
        const std::size_t field_start = pos;
        std::uint64_t tag = 0, value = 0;
        if (!read_varint(data, end, pos, tag) || (tag >> 3) == 0) return false;
        switch (tag & 7) {
        case 0:
            if (!read_varint(data, end, pos, value)) return false;
            break;
        case 1:
        case 5: {
            const std::size_t width = (tag & 7) == 1 ? 8 : 4;
            if (end - pos < width) return false;
            pos += width;
            break;
        }
        case 2: {
            if (!read_varint(data, end, pos, value) || value > end - pos) return false;
            const std::size_t body = pos;
            pos += value;
            const std::uint64_t field = tag >> 3;
            if (level == 2 && field == tensor_raw_data) {
                raws.back() = std::pair(body, static_cast<std::size_t>(value));
                continue;
            }
            if ((level == 0 && field == model_graph) ||
                (level == 1 && field == graph_initializer)) {
                if (level == 1) raws.emplace_back();
                std::string inner;
                if (!cut_raw_data(data, body, pos, level + 1, inner, raws)) return false;
                write_varint(out, tag);
                write_varint(out, inner.size());
                out += inner;
                continue;
            }
            break;
        }
        default: // groups (deprecated, never in ONNX) and invalid wire types
            return false;
        }
        out.append(reinterpret_cast<const char*>(data) + field_start, pos - field_start);
    }
    return true;
}

// The parsed model, and each initializer's raw_data (in graph.initializer order; empty when the
// message was parsed whole). Initializers' raw_data, nearly all of a large model, is cut out of
// the message before parsing and viewed in the file's copy instead: opening then costs the graph
// only, and loading a tensor copies nothing when its bytes are aligned for its dtype.
struct ParsedModel {
    std::shared_ptr<const onnx::ModelProto> model;
    std::vector<std::optional<RawData>> raw_data;
};

std::shared_ptr<onnx::ModelProto> parse_message(const std::uint8_t* data, int size) {
    google::protobuf::io::ArrayInputStream input(data, size);
    google::protobuf::io::CodedInputStream coded(&input);
    coded.SetTotalBytesLimit(size);
    auto model = std::make_shared<onnx::ModelProto>();
    if (!model->ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) return nullptr;
    return model;
}

ParsedModel parse_model(const std::filesystem::path& path) {
    const auto source = FileSource::open(path);
    if (source->size() > static_cast<std::size_t>(INT_MAX))
        fail(path, "larger than 2 GB, which no protobuf message can be (ONNX models that large "
                   "keep their tensors as external data)");
    // A protobuf message has no index: the whole file is parsed, so it is read whole into memory
    // that no other process can change; raw_data tensors are views of it.
    const auto file = source->read_storage(0, source->size());
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(file->data());
    ParsedModel parsed;
    std::string cut;
    std::vector<std::optional<std::pair<std::size_t, std::size_t>>> raws;
    std::shared_ptr<onnx::ModelProto> model;
    if (cut_raw_data(bytes, 0, file->nbytes(), 0, cut, raws) &&
        (model = parse_message(reinterpret_cast<const std::uint8_t*>(cut.data()),
                               static_cast<int>(cut.size()))) &&
        model->graph().initializer_size() == static_cast<int>(raws.size())) {
        for (const auto& raw : raws)
            parsed.raw_data.push_back(
                raw ? std::optional(RawData{file->data() + raw->first, raw->second, file})
                    : std::nullopt);
    } else {
        model = parse_message(bytes, static_cast<int>(file->nbytes()));
        if (!model)
            fail(path, "not a valid ONNX model: the protobuf message is truncated or corrupt");
    }
    if (!model->has_graph() || !model->has_ir_version())
        fail(path, "not an ONNX model: no graph or no IR version");
    parsed.model = std::move(model);
    return parsed;
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
        node.inputs.assign(proto.input().begin(), proto.input().end());
        node.outputs.assign(proto.output().begin(), proto.output().end());
        for (const auto& attribute : proto.attribute())
            node.attributes.emplace_back(attribute.name(), onnx_attribute_text(attribute));
        document.nodes.push_back(std::move(node));
    }
}

void add_initializers(const ParsedModel& parsed, const std::filesystem::path& path,
                      ModelDocument& document) {
    const auto& model = parsed.model;
    const auto external = std::make_shared<ExternalDataFiles>(
        path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path());
    const auto& initializers = model->graph().initializer();
    for (int i = 0; i < initializers.size(); ++i) {
        const onnx::TensorProto& tensor = initializers.Get(i);
        // Raw bytes in the file's copy, or in the message (a view while the model lives).
        std::optional<RawData> raw;
        if (!parsed.raw_data.empty())
            raw = parsed.raw_data[static_cast<std::size_t>(i)];
        else if (tensor.has_raw_data())
            raw = RawData{reinterpret_cast<std::byte*>(const_cast<char*>(tensor.raw_data().data())),
                          tensor.raw_data().size(), model};
        TensorEntry entry;
        entry.name = tensor.name();
        const std::string what = path.string() + ": initializer '" + tensor.name() + "'";
        entry.shape = onnx_tensor_shape(tensor, what);
        if (const auto dtype = dtype_from_onnx(tensor.data_type()))
            entry.dtype = *dtype;
        else
            entry.stored_dtype = onnx_type_name(tensor.data_type());
        entry.role = entry.stored_dtype.empty()
                         ? infer_state_dict_role(entry.name, entry.dtype, entry.shape)
                         : TensorRole::Unknown;
        entry.role_inferred = true;
        // A file whose tensors cannot be what it claims is refused when opened, not later.
        if (entry.stored_dtype.empty())
            check_onnx_tensor(tensor, what, external.get(), raw ? &*raw : nullptr);
        // The model (which owns the TensorProto), the file's copy and the external files live
        // as long as any loader, and any tensor viewing their bytes, does.
        entry.load = [model, external, proto = &tensor, raw, what] {
            try {
                return load_onnx_tensor(*proto, what, external.get(), raw ? &*raw : nullptr);
            } catch (const FileChangedError&) {
                throw; // names the file that changed; the session tells it apart
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
    const ParsedModel parsed = parse_model(path);
    const auto& model = parsed.model;
    const onnx::GraphProto& graph = model->graph();
    ModelDocument document;
    document.format = ModelFormat::Onnx;
    add_initializers(parsed, path, document);
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
        build_onnx_module_tree(document);
    } catch (const std::runtime_error& e) {
        fail(path, e.what());
    }
    if (document.nodes.empty()) infer_module_types(document); // initializers only: a state dict
    add_metadata(*model, document);
    return document;
}

} // namespace nnscope::io

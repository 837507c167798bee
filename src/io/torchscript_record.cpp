#include "io/torchscript_record.h"

#include "io/pickle/module_record_pickle.h"
#include "io/torchscript_source.h"

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>

namespace nnscope::io {

namespace {

using pickle::Kind;
using pickle::Value;

// The op a traced forward of a torch.nn class calls, and which constructor argument each of its
// positional arguments is ("" for the input and the tensors).
struct TracedOp {
    std::string_view type;
    std::string_view op;
    std::vector<std::string_view> arguments;
};

const std::vector<TracedOp>& traced_ops() {
    static const std::vector<TracedOp> ops = {
        {"Conv2d",
         "torch._convolution",
         {"", "", "", "stride", "padding", "dilation", "", "", "groups"}},
        {"Conv2d", "torch.conv2d", {"", "", "", "stride", "padding", "dilation", "groups"}},
        {"Conv1d",
         "torch._convolution",
         {"", "", "", "stride", "padding", "dilation", "", "", "groups"}},
        {"Conv1d", "torch.conv1d", {"", "", "", "stride", "padding", "dilation", "groups"}},
        {"BatchNorm1d", "torch.batch_norm", {"", "", "", "", "", "", "momentum", "eps"}},
        {"BatchNorm2d", "torch.batch_norm", {"", "", "", "", "", "", "momentum", "eps"}},
        {"LayerNorm", "torch.layer_norm", {"", "normalized_shape", "", "", "eps"}},
        {"MaxPool2d",
         "torch.max_pool2d",
         {"", "kernel_size", "stride", "padding", "dilation", "ceil_mode"}},
        {"AvgPool2d",
         "torch.avg_pool2d",
         {"", "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
          "divisor_override"}},
        {"AdaptiveAvgPool2d", "torch.adaptive_avg_pool2d", {"", "output_size"}},
        {"Dropout", "torch.dropout", {"", "p"}},
        {"Dropout", "torch.dropout_", {"", "p"}},
        {"Flatten", "torch.flatten", {"", "start_dim", "end_dim"}},
        {"Softmax", "torch.softmax", {"", "dim"}},
        {"LogSoftmax", "torch.log_softmax", {"", "dim"}},
        {"Embedding", "torch.embedding", {"", "", "padding_idx"}},
        {"GELU", "torch.gelu", {"", "approximate"}},
        {"LeakyReLU", "torch.leaky_relu", {"", "negative_slope"}},
        {"LeakyReLU", "torch.leaky_relu_", {"", "negative_slope"}},
        {"ELU", "torch.elu", {"", "alpha"}},
        {"ELU", "torch.elu_", {"", "alpha"}},
        {"Softplus", "torch.softplus", {"", "beta", "threshold"}},
    };
    return ops;
}

bool has_attribute(const ModuleRecord& record, std::string_view name) {
    return std::any_of(record.attributes.begin(), record.attributes.end(),
                       [&](const auto& a) { return a.first == name; });
}

void add_missing(ModuleRecord& record, const std::string& name, nn::Value value) {
    if (!has_attribute(record, name)) record.attributes.emplace_back(name, std::move(value));
}

std::string class_of(const std::string& qualified) {
    const std::size_t dot = qualified.rfind('.');
    return dot == std::string::npos ? qualified : qualified.substr(dot + 1);
}

// A traced Conv1d/Conv2d with a non-zeros padding_mode calls torch.pad(input, [left, right,
// (top, bottom)], mode) and then convolves without padding: the pad call holds both arguments
// (pairs that differ can only come from padding="same").
void add_traced_padding_mode(ModuleRecord& record, std::string_view body, std::size_t dims) {
    const auto arguments = script_call_arguments(body, "torch.pad");
    if (!arguments || arguments->size() < 3 || !(*arguments)[1] || !(*arguments)[2]) return;
    const nn::Value& pads = *(*arguments)[1];
    const nn::Value& mode = *(*arguments)[2];
    if (!mode.is_string() || !pads.is_list() || pads.as_list().size() != 2 * dims) return;
    std::vector<std::int64_t> p;
    for (const nn::Value& v : pads.as_list()) {
        if (!v.is_int()) return;
        p.push_back(v.as_int());
    }
    add_missing(record, "padding_mode", mode);
    std::vector<std::int64_t> padding; // first spatial dim first, as torch.nn keeps it
    for (std::size_t i = dims; i-- > 0;) {
        if (p[2 * i] != p[2 * i + 1]) {
            add_missing(record, "padding", nn::Value("same"));
            return;
        }
        padding.push_back(p[2 * i]);
    }
    add_missing(record, "padding", nn::Value::ints(padding));
}

void add_traced_arguments(ModuleRecord& record, std::string_view body) {
    const std::string type = class_of(record.qualified_name);
    if (type == "Conv1d" || type == "Conv2d")
        add_traced_padding_mode(record, body, type == "Conv1d" ? 1 : 2);
    for (const TracedOp& op : traced_ops()) {
        if (op.type != type) continue;
        const auto arguments = script_call_arguments(body, op.op);
        if (!arguments) continue;
        for (std::size_t i = 0; i < arguments->size() && i < op.arguments.size(); ++i) {
            if (op.arguments[i].empty() || !(*arguments)[i]) continue;
            nn::Value value = *(*arguments)[i];
            // Traces print int[] arguments as lists; torch.nn keeps them as tuples.
            if (value.is_list() && !value.is_tuple()) value = nn::Value::tuple(value.as_list());
            // F.embedding passes padding_idx=None as -1.
            if (op.arguments[i] == "padding_idx" && value.is_int() && value.as_int() == -1)
                value = nn::Value();
            add_missing(record, std::string(op.arguments[i]), std::move(value));
        }
        return;
    }
}

// torchvision's residual blocks keep use_res_connect as a plain attribute, which a trace drops: its
// forward then adds the block's input to its output only when the flag was set.
void add_traced_flags(ModuleRecord& record, std::string_view body) {
    if (!record.qualified_name.starts_with("torchvision.")) return;
    const std::string type = class_of(record.qualified_name);
    if (type != "InvertedResidual" && type != "MBConv") return;
    const bool adds = script_call_arguments(body, "torch.add").has_value() ||
                      script_call_arguments(body, "torch.add_").has_value();
    add_missing(record, "use_res_connect", nn::Value(adds));
}

// Arguments a traced class keeps only in its weights' shapes.
void add_shape_arguments(ModuleRecord& record) {
    const std::string type = class_of(record.qualified_name);
    const Tensor* weight = record.tensor("weight");
    auto size = [&](const Tensor* t, std::int64_t d) -> std::optional<std::int64_t> {
        if (!t || t->dim() <= d) return std::nullopt;
        return t->shape()[static_cast<std::size_t>(d)];
    };
    if (type == "Linear" && weight && weight->dim() == 2) {
        add_missing(record, "in_features", *size(weight, 1));
        add_missing(record, "out_features", *size(weight, 0));
    } else if (weight && ((type == "Conv2d" && weight->dim() == 4) ||
                          (type == "Conv1d" && weight->dim() == 3))) {
        const nn::Value* groups = record.attribute("groups");
        const std::int64_t g = groups && groups->is_int() ? groups->as_int() : 1;
        // A hostile groups value must not overflow: make_module then refuses what is left.
        if (g >= 1 && *size(weight, 1) <= std::numeric_limits<std::int64_t>::max() / g)
            add_missing(record, "in_channels", *size(weight, 1) * g);
        add_missing(record, "out_channels", *size(weight, 0));
        add_missing(record, "kernel_size",
                    nn::Value::ints(Shape(weight->shape().begin() + 2, weight->shape().end())));
    } else if (type == "BatchNorm1d" || type == "BatchNorm2d") {
        const Tensor* mean = record.tensor("running_mean");
        if (auto n = size(mean ? mean : weight, 0)) add_missing(record, "num_features", *n);
        add_missing(record, "affine", nn::Value(weight != nullptr));
        add_missing(record, "track_running_stats", nn::Value(mean != nullptr));
    } else if (type == "LayerNorm") {
        add_missing(record, "elementwise_affine", nn::Value(weight != nullptr));
    } else if (type == "Embedding" && weight && weight->dim() == 2) {
        add_missing(record, "num_embeddings", *size(weight, 0));
        add_missing(record, "embedding_dim", *size(weight, 1));
    }
}

class ScriptReader {
public:
    explicit ScriptReader(const PytorchObject& object)
        : object_(object) {}

    std::shared_ptr<const ModuleRecord> read(const Value& module, const std::string& path) {
        if (auto it = seen_.find(&module); it != seen_.end()) return it->second;
        auto record = std::make_shared<ModuleRecord>();
        record->qualified_name = script_qualified_name(module.text);
        record->path = path;
        record->torchscript = true;
        const std::string source = object_.class_source ? object_.class_source(module.text) : "";
        const auto body = pickle::script_class_body(source, class_of(module.text));
        pickle::ScriptClassInfo info;
        if (body) info = pickle::parse_script_class(source, class_of(module.text));
        if (!module.state || module.state->kind != Kind::Dict)
            throw std::invalid_argument("module '" + path + "' (" + record->qualified_name +
                                        ") has no attribute dict in data.pkl");
        read_state(*record, *module.state, info);
        if (body) {
            for (auto& [name, value] : script_constants(*body))
                add_missing(*record, name, std::move(value));
            add_traced_arguments(*record, *body);
            add_traced_flags(*record, *body);
        }
        add_shape_arguments(*record);
        seen_.emplace(&module, record);
        return record;
    }

private:
    void read_state(ModuleRecord& record, const Value& state, const pickle::ScriptClassInfo& info) {
        auto listed = [](const std::vector<std::string>& names, const std::string& name) {
            return std::find(names.begin(), names.end(), name) != names.end();
        };
        for (std::size_t i = 0; i + 1 < state.items.size(); i += 2) {
            const auto name = pickle::as_text(*state.items[i]);
            const Value& value = *state.items[i + 1];
            if (!name) continue;
            const bool parameter = listed(info.parameters, *name);
            const bool buffer = listed(info.buffers, *name);
            if (*name == "training" && value.kind == Kind::Bool) {
                record.training = value.boolean;
            } else if (value.kind == Kind::Object) {
                const std::string child_path =
                    record.path.empty() ? *name : record.path + "." + *name;
                record.children.emplace_back(*name, read(value, child_path));
            } else if (parameter || buffer) {
                Tensor tensor;
                if (value.kind == Kind::Tensor && value.tensor->storage)
                    tensor = pickle::load_tensor(*object_.storages, *value.tensor);
                else if (value.kind != Kind::None)
                    throw std::invalid_argument(
                        "module '" + record.path + "' (" + record.qualified_name +
                        "): " + (parameter ? "parameter '" : "buffer '") + *name + "' is " +
                        pickle::to_display(value, 60) + ", not a tensor with data");
                (parameter ? record.parameters : record.buffers).emplace_back(*name, tensor);
            } else if (!name->starts_with('_')) {
                if (auto plain = pickle::plain_attribute(value))
                    record.attributes.emplace_back(*name, std::move(*plain));
            }
        }
    }

    const PytorchObject& object_;
    std::map<const Value*, std::shared_ptr<const ModuleRecord>> seen_;
};

} // namespace

std::string script_qualified_name(std::string_view name) {
    std::string out;
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t dot = name.find('.', start);
        if (dot == std::string_view::npos) dot = name.size();
        const std::string_view part = name.substr(start, dot - start);
        if (!part.starts_with("___torch_mangle_")) {
            if (!out.empty()) out += '.';
            out += part;
        }
        start = dot + 1;
    }
    for (std::string_view package : {"__torch__.torch.", "__torch__.torchvision."})
        if (out.starts_with(package)) return out.substr(std::string_view("__torch__.").size());
    return out;
}

std::shared_ptr<const ModuleRecord> torchscript_module_record(const pickle::Value& root,
                                                              const PytorchObject& object) {
    return ScriptReader(object).read(root, "");
}

} // namespace nnscope::io

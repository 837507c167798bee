#include "io/pickle/module_repr.h"

#include <algorithm>
#include <initializer_list>

namespace nnscope::io::pickle {

namespace {

class Attributes {
public:
    explicit Attributes(const Value& dict)
        : dict_(dict) {}

    const Value* find(std::string_view name) const { return dict_find(dict_, name); }
    std::string str(std::string_view name) const {
        const Value* v = find(name);
        return v ? python_str(*v) : "?";
    }
    std::string repr(std::string_view name) const {
        const Value* v = find(name);
        return v ? to_display(*v) : "?";
    }
    // Whether attribute `name` equals the repr `text` ("(0, 0)", "1", "False", "None").
    bool is(std::string_view name, std::string_view text) const {
        const Value* v = find(name);
        return v && to_display(*v) == text;
    }
    // A tuple attribute whose every item equals `item` (padding (0, 0), dilation (1, 1)).
    bool all(std::string_view name, std::string_view item) const {
        const Value* v = find(name);
        if (!v || v->kind != Kind::Tuple) return false;
        for (const auto& x : v->items)
            if (to_display(*x) != item) return false;
        return true;
    }
    // Whether a parameter slot (`_parameters[name]`) holds nothing.
    bool parameter_is_none(std::string_view name) const {
        const Value* parameters = find("_parameters");
        const Value* p = parameters ? dict_find(*parameters, name) : nullptr;
        return !p || p->kind == Kind::None;
    }

private:
    const Value& dict_;
};

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    for (std::string_view n : names)
        if (name == n) return true;
    return false;
}

std::string conv_repr(const Attributes& a) {
    std::string s = a.str("in_channels") + ", " + a.str("out_channels") +
                    ", kernel_size=" + a.str("kernel_size") + ", stride=" + a.str("stride");
    const Value* padding = a.find("padding");
    if (padding && (padding->kind != Kind::Tuple || !a.all("padding", "0")))
        s += ", padding=" + a.str("padding");
    if (!a.all("dilation", "1")) s += ", dilation=" + a.str("dilation");
    if (a.find("output_padding") && !a.all("output_padding", "0"))
        s += ", output_padding=" + a.str("output_padding");
    if (!a.is("groups", "1")) s += ", groups=" + a.str("groups");
    if (a.parameter_is_none("bias")) s += ", bias=False";
    if (!a.is("padding_mode", "'zeros'")) s += ", padding_mode=" + a.str("padding_mode");
    return s;
}

std::string embedding_repr(const Attributes& a) {
    std::string s = a.str("num_embeddings") + ", " + a.str("embedding_dim");
    if (!a.is("padding_idx", "None")) s += ", padding_idx=" + a.str("padding_idx");
    if (!a.is("max_norm", "None")) s += ", max_norm=" + a.str("max_norm");
    if (!a.is("norm_type", "2") && !a.is("norm_type", "2.0"))
        s += ", norm_type=" + a.str("norm_type");
    if (!a.is("scale_grad_by_freq", "False"))
        s += ", scale_grad_by_freq=" + a.str("scale_grad_by_freq");
    if (!a.is("sparse", "False")) s += ", sparse=True";
    return s;
}

// Plain public attributes (scalars and tuples of scalars), key=value in __dict__ order.
std::string plain_repr(const Value& dict) {
    std::string s;
    for (std::size_t i = 0; i + 1 < dict.items.size(); i += 2) {
        const Value& key = *dict.items[i];
        const Value& value = *dict.items[i + 1];
        if (key.kind != Kind::String || key.text.starts_with('_') || key.text == "training")
            continue;
        const bool scalar = value.kind == Kind::None || value.kind == Kind::Bool ||
                            value.kind == Kind::Int || value.kind == Kind::Float ||
                            value.kind == Kind::String;
        const bool small_tuple =
            value.kind == Kind::Tuple && value.items.size() <= 8 &&
            std::all_of(value.items.begin(), value.items.end(), [](const ValuePtr& x) {
                return x->kind == Kind::Int || x->kind == Kind::Float || x->kind == Kind::Bool;
            });
        if (!scalar && !small_tuple) continue;
        if (!s.empty()) s += ", ";
        s += key.text + "=" + to_display(value, 80);
    }
    return s;
}

} // namespace

std::string python_str(const Value& value) {
    return value.kind == Kind::String ? value.text : to_display(value, 200);
}

std::string module_extra_repr(std::string_view name, const Value& dict) {
    const Attributes a(dict);
    if (name == "Linear" || name == "LazyLinear")
        return "in_features=" + a.str("in_features") + ", out_features=" + a.str("out_features") +
               ", bias=" + (a.parameter_is_none("bias") ? "False" : "True");
    if (name == "Bilinear")
        return "in1_features=" + a.str("in1_features") + ", in2_features=" + a.str("in2_features") +
               ", out_features=" + a.str("out_features") +
               ", bias=" + (a.parameter_is_none("bias") ? "False" : "True");
    if (is_one_of(name, {"Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
                         "ConvTranspose3d"}))
        return conv_repr(a);
    if (is_one_of(name, {"BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm",
                         "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"}))
        return a.str("num_features") + ", eps=" + a.str("eps") + ", momentum=" + a.str("momentum") +
               ", affine=" + a.str("affine") +
               ", track_running_stats=" + a.str("track_running_stats");
    if (name == "LayerNorm")
        return a.str("normalized_shape") + ", eps=" + a.str("eps") +
               ", elementwise_affine=" + a.str("elementwise_affine");
    if (name == "GroupNorm")
        return a.str("num_groups") + ", " + a.str("num_channels") + ", eps=" + a.str("eps") +
               ", affine=" + a.str("affine");
    if (name == "Embedding") return embedding_repr(a);
    if (is_one_of(name, {"Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout"}))
        return "p=" + a.str("p") + ", inplace=" + a.str("inplace");
    if (is_one_of(name, {"ReLU", "ReLU6", "SiLU", "Hardswish", "Hardsigmoid", "Mish", "SELU"}))
        return a.is("inplace", "True") ? "inplace=True" : "";
    if (name == "LeakyReLU")
        return "negative_slope=" + a.str("negative_slope") +
               (a.is("inplace", "True") ? ", inplace=True" : "");
    if (name == "GELU") return "approximate=" + a.repr("approximate");
    if (is_one_of(name, {"MaxPool1d", "MaxPool2d", "MaxPool3d"}))
        return "kernel_size=" + a.str("kernel_size") + ", stride=" + a.str("stride") +
               ", padding=" + a.str("padding") + ", dilation=" + a.str("dilation") +
               ", ceil_mode=" + a.str("ceil_mode");
    if (is_one_of(name, {"AvgPool1d", "AvgPool2d", "AvgPool3d"}))
        return "kernel_size=" + a.str("kernel_size") + ", stride=" + a.str("stride") +
               ", padding=" + a.str("padding");
    if (is_one_of(name, {"AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d",
                         "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d"}))
        return "output_size=" + a.str("output_size");
    if (name == "Flatten")
        return "start_dim=" + a.str("start_dim") + ", end_dim=" + a.str("end_dim");
    if (is_one_of(name, {"Softmax", "LogSoftmax", "Softmin"})) return "dim=" + a.str("dim");
    if (is_one_of(name, {"Sequential", "ModuleList", "ModuleDict", "Identity", "Tanh", "Sigmoid",
                         "ParameterList", "ParameterDict"}))
        return "";
    return plain_repr(dict);
}

} // namespace nnscope::io::pickle

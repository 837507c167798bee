#include "engine/nn/declared_tensor.h"

#include "engine/generator.h"
#include "engine/nn/module.h"
#include "engine/random.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

namespace nnscope::nn {

namespace {

constexpr std::array<std::pair<TensorDeclaration::Init, std::string_view>, 7> init_names = {{
    {TensorDeclaration::Init::Zeros, "zeros"},
    {TensorDeclaration::Init::Ones, "ones"},
    {TensorDeclaration::Init::Full, "full"},
    {TensorDeclaration::Init::Arange, "arange"},
    {TensorDeclaration::Init::Randn, "randn"},
    {TensorDeclaration::Init::Rand, "rand"},
    {TensorDeclaration::Init::Values, "values"},
}};

// dir(nn.Module()) in PyTorch 1.13: every module has these attributes.
const std::set<std::string, std::less<>>& module_attributes() {
    static const std::set<std::string, std::less<>> names = {"T_destination",
                                                             "__annotations__",
                                                             "__call__",
                                                             "__class__",
                                                             "__delattr__",
                                                             "__dict__",
                                                             "__dir__",
                                                             "__doc__",
                                                             "__eq__",
                                                             "__format__",
                                                             "__ge__",
                                                             "__getattr__",
                                                             "__getattribute__",
                                                             "__getstate__",
                                                             "__gt__",
                                                             "__hash__",
                                                             "__init__",
                                                             "__init_subclass__",
                                                             "__le__",
                                                             "__lt__",
                                                             "__module__",
                                                             "__ne__",
                                                             "__new__",
                                                             "__reduce__",
                                                             "__reduce_ex__",
                                                             "__repr__",
                                                             "__setattr__",
                                                             "__setstate__",
                                                             "__sizeof__",
                                                             "__str__",
                                                             "__subclasshook__",
                                                             "__weakref__",
                                                             "_apply",
                                                             "_backward_hooks",
                                                             "_buffers",
                                                             "_call_impl",
                                                             "_forward_hooks",
                                                             "_forward_pre_hooks",
                                                             "_get_backward_hooks",
                                                             "_get_name",
                                                             "_is_full_backward_hook",
                                                             "_load_from_state_dict",
                                                             "_load_state_dict_post_hooks",
                                                             "_load_state_dict_pre_hooks",
                                                             "_maybe_warn_non_full_backward_hook",
                                                             "_modules",
                                                             "_named_members",
                                                             "_non_persistent_buffers_set",
                                                             "_parameters",
                                                             "_register_load_state_dict_pre_hook",
                                                             "_register_state_dict_hook",
                                                             "_replicate_for_data_parallel",
                                                             "_save_to_state_dict",
                                                             "_slow_forward",
                                                             "_state_dict_hooks",
                                                             "_version",
                                                             "add_module",
                                                             "apply",
                                                             "bfloat16",
                                                             "buffers",
                                                             "children",
                                                             "cpu",
                                                             "cuda",
                                                             "double",
                                                             "dump_patches",
                                                             "eval",
                                                             "extra_repr",
                                                             "float",
                                                             "forward",
                                                             "get_buffer",
                                                             "get_extra_state",
                                                             "get_parameter",
                                                             "get_submodule",
                                                             "half",
                                                             "ipu",
                                                             "load_state_dict",
                                                             "modules",
                                                             "named_buffers",
                                                             "named_children",
                                                             "named_modules",
                                                             "named_parameters",
                                                             "parameters",
                                                             "register_backward_hook",
                                                             "register_buffer",
                                                             "register_forward_hook",
                                                             "register_forward_pre_hook",
                                                             "register_full_backward_hook",
                                                             "register_load_state_dict_post_hook",
                                                             "register_module",
                                                             "register_parameter",
                                                             "requires_grad_",
                                                             "set_extra_state",
                                                             "share_memory",
                                                             "state_dict",
                                                             "to",
                                                             "to_empty",
                                                             "train",
                                                             "training",
                                                             "type",
                                                             "xpu",
                                                             "zero_grad"};
    return names;
}

// Each type's attributes beyond nn.Module's and its own parameters, buffers and children:
// sorted(set(dir(m)) - set(dir(nn.Module())) - own members) for an instance m in PyTorch 1.13.
// Types not listed (torchvision's blocks) fall back to their constructor arguments.
const std::map<std::string, std::vector<std::string>, std::less<>>& type_attributes() {
    using V = std::vector<std::string>;
    static const V activation = {"__constants__", "inplace"};
    static const V batchnorm = {
        "__constants__",      "_check_input_dim", "affine",           "eps",
        "momentum",           "num_features",     "reset_parameters", "reset_running_stats",
        "track_running_stats"};
    static const V embedding = {"__constants__",
                                "_fill_padding_idx_with_zero",
                                "embedding_dim",
                                "from_pretrained",
                                "max_norm",
                                "norm_type",
                                "num_embeddings",
                                "padding_idx",
                                "reset_parameters",
                                "scale_grad_by_freq",
                                "sparse"};
    static const std::map<std::string, V, std::less<>> table = {
        {"Linear", {"__constants__", "in_features", "out_features", "reset_parameters"}},
        {"LazyLinear",
         {"__constants__", "_infer_parameters", "_initialize_hook", "_lazy_load_hook", "_load_hook",
          "cls_to_become", "has_uninitialized_params", "in_features", "initialize_parameters",
          "out_features", "reset_parameters"}},
        {"Identity", {}},
        {"Sequential",
         {"__add__", "__delitem__", "__getitem__", "__iadd__", "__imul__", "__iter__", "__len__",
          "__mul__", "__rmul__", "__setitem__", "_get_item_by_idx", "append", "extend", "insert",
          "pop"}},
        {"ModuleList",
         {"__add__", "__delitem__", "__getitem__", "__iadd__", "__iter__", "__len__", "__setitem__",
          "_get_abs_string_index", "append", "extend", "insert", "pop"}},
        {"ModuleDict",
         {"__contains__", "__delitem__", "__getitem__", "__iter__", "__len__", "__setitem__",
          "clear", "items", "keys", "pop", "update", "values"}},
        {"ReLU", activation},
        {"Sigmoid", {}},
        {"ReLU6", {"__constants__", "inplace", "max_val", "min_val"}},
        {"Hardsigmoid", activation},
        {"Hardswish", activation},
        {"SiLU", activation},
        {"Tanh", {}},
        {"GELU", {"__constants__", "approximate"}},
        {"Softmax", {"__constants__", "dim"}},
        {"LogSoftmax", {"__constants__", "dim"}},
        {"Flatten", {"__constants__", "end_dim", "start_dim"}},
        {"Dropout", {"__constants__", "inplace", "p"}},
        {"Conv2d",
         {"__constants__", "_conv_forward", "_reversed_padding_repeated_twice", "dilation",
          "groups", "in_channels", "kernel_size", "out_channels", "output_padding", "padding",
          "padding_mode", "reset_parameters", "stride", "transposed"}},
        {"MaxPool2d",
         {"__constants__", "ceil_mode", "dilation", "kernel_size", "padding", "return_indices",
          "stride"}},
        {"AvgPool2d",
         {"__constants__", "ceil_mode", "count_include_pad", "divisor_override", "kernel_size",
          "padding", "stride"}},
        {"AdaptiveAvgPool2d", {"__constants__", "output_size"}},
        {"BatchNorm1d", batchnorm},
        {"BatchNorm2d", batchnorm},
        {"LayerNorm",
         {"__constants__", "elementwise_affine", "eps", "normalized_shape", "reset_parameters"}},
        {"Embedding", embedding},
        {"EmbeddingBag",
         [] {
             V names = embedding;
             names.insert(names.end(), {"include_last_offset", "mode"});
             return names;
         }()},
        {"CrossEntropyLoss", {"__constants__", "ignore_index", "label_smoothing", "reduction"}},
        {"MSELoss", {"__constants__", "reduction"}},
    };
    return table;
}

[[noreturn]] void refuse(const TensorDeclaration& d, const std::string& what) {
    throw std::invalid_argument("tensor '" + d.name + "': " + what);
}

} // namespace

std::string_view init_name(TensorDeclaration::Init init) {
    for (const auto& [value, name] : init_names)
        if (value == init) return name;
    return "?";
}

TensorDeclaration::Init init_from_name(std::string_view name) {
    std::string known;
    for (const auto& [value, n] : init_names) {
        if (n == name) return value;
        known += (known.empty() ? "" : ", ") + std::string(n);
    }
    throw std::invalid_argument("unknown init '" + std::string(name) + "' (expected one of " +
                                known + ")");
}

bool is_declarable_dtype(DType dtype) {
    return dtype == DType::Float32 || dtype == DType::Float64 || dtype == DType::Int64;
}

void check_declaration(const TensorDeclaration& d) {
    if (!is_declarable_dtype(d.dtype))
        refuse(d,
               "dtype must be float32, float64 or int64, got " + std::string(dtype_name(d.dtype)));
    // A file is untrusted: a shape whose product overflows or cannot be allocated is refused
    // before anything is made (a learner's extra tensor is far smaller than 2^31 elements).
    constexpr std::int64_t max_elements = std::int64_t(1) << 31;
    std::int64_t numel = 1;
    for (std::int64_t size : d.shape) {
        if (size < 0) refuse(d, "negative size in shape " + shape_to_string(d.shape));
        if (size != 0 && numel > max_elements / size)
            refuse(d, "shape " + shape_to_string(d.shape) + " has more than 2^31 elements");
        numel *= size;
    }
    const bool floating = is_floating_point(d.dtype);
    using Init = TensorDeclaration::Init;
    if ((d.init == Init::Randn || d.init == Init::Rand) && !floating)
        refuse(d, std::string(init_name(d.init)) + " needs a floating dtype, got " +
                      std::string(dtype_name(d.dtype)));
    if (d.init == Init::Values &&
        static_cast<std::int64_t>(d.values.size()) != shape_numel(d.shape))
        refuse(d, std::to_string(d.values.size()) + " values for shape " +
                      shape_to_string(d.shape) + " (" + std::to_string(shape_numel(d.shape)) +
                      " elements)");
    if (!floating && (d.init == Init::Full || d.init == Init::Values)) {
        const auto integral = [](double v) { // |v| < 2^53 keeps the cast defined and exact
            return std::abs(v) < 9007199254740992.0 && v == std::trunc(v);
        };
        if (d.init == Init::Full ? !integral(d.fill)
                                 : !std::all_of(d.values.begin(), d.values.end(), integral))
            refuse(d, "an int64 tensor takes whole numbers");
    }
    if (d.kind == TensorDeclaration::Kind::Parameter && d.requires_grad && !floating)
        refuse(d, "Only Tensors of floating point and complex dtype can require gradients");
}

Tensor make_declared_value(const TensorDeclaration& d) {
    check_declaration(d);
    using Init = TensorDeclaration::Init;
    switch (d.init) {
    case Init::Zeros:
        return Tensor::zeros(d.shape, d.dtype);
    case Init::Ones:
        return Tensor::ones(d.shape, d.dtype);
    case Init::Full:
        return Tensor::full(d.shape, d.fill, d.dtype);
    case Init::Arange:
        return Tensor::arange(shape_numel(d.shape), d.dtype).reshape(d.shape);
    case Init::Randn:
        return randn(d.shape, default_generator(), d.dtype);
    case Init::Rand:
        return rand(d.shape, default_generator(), d.dtype);
    case Init::Values:
        return Tensor::from_vector(d.values, d.shape, d.dtype);
    }
    throw std::logic_error("make_declared_value: unknown init");
}

bool is_python_attribute(const Module& module, const std::string& name) {
    if (module_attributes().count(name)) return true;
    const auto& table = type_attributes();
    if (auto it = table.find(module.type_name()); it != table.end())
        return std::find(it->second.begin(), it->second.end(), name) != it->second.end();
    for (const auto& [argument, value] : module.arguments())
        if (argument == name) return true;
    return false;
}

void Module::declare_tensor(const TensorDeclaration& d) {
    const bool parameter = d.kind == TensorDeclaration::Kind::Parameter;
    // register_parameter / register_buffer: '.', "", then hasattr(self, name) unless the name
    // already holds a member of the same kind (which it then replaces, in place).
    const bool exists = is_python_attribute(*this, d.name) || modules_.contains(d.name) ||
                        (parameter ? buffers_.contains(d.name) : parameters_.contains(d.name));
    check_name(d.name, parameter ? "parameter" : "buffer", exists);
    Tensor value = make_declared_value(d);
    if (parameter)
        register_parameter(d.name, value, d.requires_grad);
    else
        register_buffer(d.name, value, d.persistent);
    declared_tensors_.push_back(d);
}

} // namespace nnscope::nn

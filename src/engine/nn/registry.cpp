#include "engine/nn/registry.h"

#include "engine/nn/activation.h"
#include "engine/nn/adaptive_pool.h"
#include "engine/nn/batchnorm.h"
#include "engine/nn/container.h"
#include "engine/nn/conv.h"
#include "engine/nn/conv1d.h"
#include "engine/nn/dropout.h"
#include "engine/nn/embedding.h"
#include "engine/nn/flatten.h"
#include "engine/nn/layernorm.h"
#include "engine/nn/linear.h"
#include "engine/nn/loss.h"
#include "engine/nn/mobile_activation.h"
#include "engine/nn/parametric_activation.h"
#include "engine/nn/pooling.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>

namespace nnscope::nn {

namespace {

// Reads the keyword arguments of one make_module call against the arguments a type accepts; an
// argument left out takes its spec's default.
class ArgReader {
public:
    ArgReader(std::string type, const Arguments& args, const std::vector<ArgumentSpec>& accepted)
        : type_(std::move(type)) {
        for (const ArgumentSpec& spec : accepted)
            specs_.emplace(spec.name, &spec);
        for (const auto& [name, value] : args) {
            if (specs_.find(name) == specs_.end())
                throw std::invalid_argument(type_ + ": unknown argument '" + name +
                                            "' (accepted: " + join(accepted) + ")");
            if (!values_.emplace(name, value).second)
                throw std::invalid_argument(type_ + ": argument '" + name + "' given twice");
        }
    }

    // The value as given (the module checks its form), or the default.
    const Value& get(const std::string& name) const {
        if (auto it = values_.find(name); it != values_.end()) return it->second;
        const ArgumentSpec& s = spec(name);
        if (s.required)
            throw std::invalid_argument(type_ + ": missing required argument '" + name + "'");
        return s.default_value;
    }
    std::int64_t get_int(const std::string& name) const {
        return check(name, get(name), 'i').as_int();
    }
    std::optional<std::int64_t> get_optional_int(const std::string& name) const {
        const Value& v = get(name);
        if (v.is_none()) return std::nullopt;
        return check(name, v, 'i').as_int();
    }
    double get_double(const std::string& name) const {
        return check(name, get(name), 'f').as_double();
    }
    // A number kept as given (an int stays an int, for repr).
    Value get_number(const std::string& name) const { return check(name, get(name), 'f'); }
    std::optional<double> get_optional_double(const std::string& name) const {
        const Value& v = get(name);
        if (v.is_none()) return std::nullopt;
        return check(name, v, 'f').as_double();
    }
    bool get_bool(const std::string& name) const { return check(name, get(name), 'b').as_bool(); }
    std::string get_string(const std::string& name) const {
        return check(name, get(name), 's').as_string();
    }
    // An argument nnscope accepts only at PyTorch's default (a file may spell the default out).
    void require_default(const std::string& name) const {
        const Value& v = get(name);
        const Value& fallback = spec(name).default_value;
        const bool same =
            (v.is_number() && fallback.is_number() && !v.is_bool() && !fallback.is_bool())
                ? v.as_double() == fallback.as_double()
                : v == fallback;
        if (!same)
            throw std::invalid_argument(type_ + ": argument '" + name + "' = " + v.repr() +
                                        " is not supported (only its default " + fallback.repr() +
                                        ")");
    }
    // An int or a tuple of two ints (or None / a string such as "same" where the spec says so).
    const Value& get_size(const std::string& name) const {
        const Value& v = get(name);
        const ArgumentSpec& s = spec(name);
        if (v.is_none() && s.accepts_none) return v;
        if (s.accepts_string && v.is_string()) return v;
        try {
            value_to_pair(v, name);
        } catch (const std::invalid_argument&) {
            throw std::invalid_argument(type_ + ": argument '" + name +
                                        "' must be an int or a tuple of 2 ints" +
                                        (s.accepts_string ? " or a string" : "") + ", got " +
                                        v.type_name() + " " + v.repr());
        }
        return v;
    }
    Shape get_shape(const std::string& name) const {
        const Value& v = get(name);
        if (v.is_int()) return {v.as_int()};
        Shape shape;
        if (v.is_list())
            for (const Value& e : v.as_list())
                shape.push_back(check(name, e, 'i').as_int());
        else
            check(name, v, 'i');
        return shape;
    }
    Tensor get_float_tensor(const std::string& name) const {
        const Value& v = get(name);
        if (v.is_none()) return {};
        std::vector<double> values;
        if (v.is_list())
            for (const Value& e : v.as_list())
                values.push_back(check(name, e, 'f').as_double());
        else
            check(name, v, 'l');
        return Tensor::from_vector(values, {static_cast<std::int64_t>(values.size())});
    }

private:
    const ArgumentSpec& spec(const std::string& name) const {
        auto it = specs_.find(name);
        if (it == specs_.end())
            throw std::logic_error(type_ + ": the factory reads '" + name +
                                   "', which its argument list lacks");
        return *it->second;
    }
    const Value& check(const std::string& name, const Value& v, char kind) const {
        const bool ok = (kind == 'i' && v.is_int()) || (kind == 'f' && v.is_number()) ||
                        (kind == 'b' && v.is_bool()) || (kind == 's' && v.is_string()) ||
                        (kind == 'l' && v.is_list());
        if (!ok) {
            const char* wanted = kind == 'i'   ? "int"
                                 : kind == 'f' ? "float"
                                 : kind == 'b' ? "bool"
                                 : kind == 's' ? "str"
                                               : "list of floats";
            throw std::invalid_argument(type_ + ": argument '" + name + "' must be " + wanted +
                                        ", got " + v.type_name() + " " + v.repr());
        }
        return v;
    }
    static std::string join(const std::vector<ArgumentSpec>& specs) {
        std::string out;
        for (const auto& s : specs)
            out += (out.empty() ? "" : ", ") + s.name;
        return out;
    }

    std::string type_;
    std::map<std::string, const ArgumentSpec*> specs_;
    std::map<std::string, Value> values_;
};

struct Factory {
    std::vector<ArgumentSpec> arguments; // in PyTorch's order, with PyTorch's defaults
    std::function<ModulePtr(const ArgReader&)> build;
};

using K = ArgumentKind;

// A required argument, one with a default, and one that may also be None.
ArgumentSpec req(std::string name, K kind) {
    return {std::move(name), kind, Value(), true};
}
ArgumentSpec opt(std::string name, K kind, Value fallback) {
    return {std::move(name), kind, std::move(fallback)};
}
ArgumentSpec opt_none(std::string name, K kind, Value fallback = Value()) {
    return {std::move(name), kind, std::move(fallback), false, true};
}
ArgumentSpec inplace_arg() {
    return opt("inplace", K::Bool, false);
}

std::vector<ArgumentSpec> conv_arguments() {
    ArgumentSpec padding = opt("padding", K::IntOrTuple, 0);
    padding.accepts_string = true;
    return {req("in_channels", K::Int),
            req("out_channels", K::Int),
            req("kernel_size", K::IntOrTuple),
            opt("stride", K::IntOrTuple, 1),
            padding,
            opt("dilation", K::IntOrTuple, 1),
            opt("groups", K::Int, 1),
            opt("bias", K::Bool, true),
            opt("padding_mode", K::String, "zeros")};
}

std::vector<ArgumentSpec> batchnorm_arguments() {
    return {req("num_features", K::Int), opt("eps", K::Float, 1e-5),
            opt_none("momentum", K::Float, 0.1), opt("affine", K::Bool, true),
            opt("track_running_stats", K::Bool, true)};
}

// max_norm renormalises rows in place during forward and sparse / scale_grad_by_freq change the
// gradient's layout: none is implemented, so only their defaults are accepted.
void require_embedding_defaults(const ArgReader& a) {
    a.require_default("max_norm");
    a.require_default("norm_type");
    a.require_default("scale_grad_by_freq");
    a.require_default("sparse");
}

// An activation whose only argument is inplace.
template <class M> Factory inplace_factory() {
    return {{inplace_arg()},
            [](const ArgReader& a) { return std::make_shared<M>(a.get_bool("inplace")); }};
}

// A module without arguments.
template <class M> Factory plain_factory() {
    return {{}, [](const ArgReader&) { return std::make_shared<M>(); }};
}

const std::map<std::string, Factory, std::less<>>& factories() {
    static const std::map<std::string, Factory, std::less<>> table = {
        {"Linear",
         {{req("in_features", K::Int), req("out_features", K::Int), opt("bias", K::Bool, true)},
          [](const ArgReader& a) {
              return std::make_shared<Linear>(a.get_int("in_features"), a.get_int("out_features"),
                                              a.get_bool("bias"));
          }}},
        {"LazyLinear",
         {{req("out_features", K::Int), opt("bias", K::Bool, true)},
          [](const ArgReader& a) {
              return std::make_shared<LazyLinear>(a.get_int("out_features"), a.get_bool("bias"));
          }}},
        {"Identity", plain_factory<Identity>()},
        {"Sequential", plain_factory<Sequential>()},
        {"ModuleList", plain_factory<ModuleList>()},
        {"ModuleDict", plain_factory<ModuleDict>()},
        {"ReLU", inplace_factory<ReLU>()},
        {"Sigmoid", plain_factory<Sigmoid>()},
        {"ReLU6", inplace_factory<ReLU6>()},
        {"Hardsigmoid", inplace_factory<Hardsigmoid>()},
        {"Hardswish", inplace_factory<Hardswish>()},
        {"SiLU", inplace_factory<SiLU>()},
        {"Tanh", plain_factory<Tanh>()},
        {"LeakyReLU",
         {{opt("negative_slope", K::Float, 0.01), inplace_arg()},
          [](const ArgReader& a) {
              return std::make_shared<LeakyReLU>(a.get_double("negative_slope"),
                                                 a.get_bool("inplace"));
          }}},
        {"ELU",
         {{opt("alpha", K::Float, 1.0), inplace_arg()},
          [](const ArgReader& a) {
              return std::make_shared<ELU>(a.get_double("alpha"), a.get_bool("inplace"));
          }}},
        {"Softplus",
         {{opt("beta", K::Float, 1), opt("threshold", K::Float, 20)},
          [](const ArgReader& a) {
              return std::make_shared<Softplus>(a.get_number("beta"), a.get_number("threshold"));
          }}},
        {"GELU",
         {{opt("approximate", K::String, "none")},
          [](const ArgReader& a) { return std::make_shared<GELU>(a.get_string("approximate")); }}},
        {"Softmax",
         {{opt_none("dim", K::Int)},
          [](const ArgReader& a) { return std::make_shared<Softmax>(a.get_optional_int("dim")); }}},
        {"LogSoftmax",
         {{opt_none("dim", K::Int)},
          [](const ArgReader& a) {
              return std::make_shared<LogSoftmax>(a.get_optional_int("dim"));
          }}},
        {"Flatten",
         {{opt("start_dim", K::Int, 1), opt("end_dim", K::Int, -1)},
          [](const ArgReader& a) {
              return std::make_shared<Flatten>(a.get_int("start_dim"), a.get_int("end_dim"));
          }}},
        {"Dropout",
         {{opt("p", K::Float, 0.5), inplace_arg()},
          [](const ArgReader& a) {
              return std::make_shared<Dropout>(a.get_double("p"), a.get_bool("inplace"));
          }}},
        {"Conv1d",
         {conv_arguments(),
          [](const ArgReader& a) {
              return std::make_shared<Conv1d>(
                  a.get_int("in_channels"), a.get_int("out_channels"), a.get("kernel_size"),
                  a.get("stride"), a.get("padding"), a.get("dilation"), a.get_int("groups"),
                  a.get_bool("bias"), a.get_string("padding_mode"));
          }}},
        {"Conv2d",
         {conv_arguments(),
          [](const ArgReader& a) {
              return std::make_shared<Conv2d>(
                  a.get_int("in_channels"), a.get_int("out_channels"), a.get_size("kernel_size"),
                  a.get_size("stride"), a.get_size("padding"), a.get_size("dilation"),
                  a.get_int("groups"), a.get_bool("bias"), a.get_string("padding_mode"));
          }}},
        {"MaxPool2d",
         {{req("kernel_size", K::IntOrTuple), opt_none("stride", K::IntOrTuple),
           opt("padding", K::IntOrTuple, 0), opt("dilation", K::IntOrTuple, 1),
           opt("return_indices", K::Bool, false), opt("ceil_mode", K::Bool, false)},
          [](const ArgReader& a) {
              return std::make_shared<MaxPool2d>(
                  a.get_size("kernel_size"), a.get_size("stride"), a.get_size("padding"),
                  a.get_size("dilation"), a.get_bool("return_indices"), a.get_bool("ceil_mode"));
          }}},
        {"AvgPool2d",
         {{req("kernel_size", K::IntOrTuple), opt_none("stride", K::IntOrTuple),
           opt("padding", K::IntOrTuple, 0), opt("ceil_mode", K::Bool, false),
           opt("count_include_pad", K::Bool, true), opt_none("divisor_override", K::Int)},
          [](const ArgReader& a) {
              const auto divisor = a.get_optional_int("divisor_override");
              return std::make_shared<AvgPool2d>(a.get_size("kernel_size"), a.get_size("stride"),
                                                 a.get_size("padding"), a.get_bool("ceil_mode"),
                                                 a.get_bool("count_include_pad"),
                                                 divisor ? Value(*divisor) : Value());
          }}},
        {"AdaptiveAvgPool2d",
         {{req("output_size", K::IntOrTuple)},
          [](const ArgReader& a) {
              return std::make_shared<AdaptiveAvgPool2d>(a.get("output_size"));
          }}},
        {"BatchNorm1d",
         {batchnorm_arguments(),
          [](const ArgReader& a) {
              return std::make_shared<BatchNorm1d>(
                  a.get_int("num_features"), a.get_double("eps"), a.get_optional_double("momentum"),
                  a.get_bool("affine"), a.get_bool("track_running_stats"));
          }}},
        {"BatchNorm2d",
         {batchnorm_arguments(),
          [](const ArgReader& a) {
              return std::make_shared<BatchNorm2d>(
                  a.get_int("num_features"), a.get_double("eps"), a.get_optional_double("momentum"),
                  a.get_bool("affine"), a.get_bool("track_running_stats"));
          }}},
        {"LayerNorm",
         {{req("normalized_shape", K::IntOrTuple), opt("eps", K::Float, 1e-5),
           opt("elementwise_affine", K::Bool, true)},
          [](const ArgReader& a) {
              return std::make_shared<LayerNorm>(a.get_shape("normalized_shape"),
                                                 a.get_double("eps"),
                                                 a.get_bool("elementwise_affine"));
          }}},
        {"Embedding",
         {{req("num_embeddings", K::Int), req("embedding_dim", K::Int),
           opt_none("padding_idx", K::Int), opt_none("max_norm", K::Float),
           opt("norm_type", K::Float, 2.0), opt("scale_grad_by_freq", K::Bool, false),
           opt("sparse", K::Bool, false)},
          [](const ArgReader& a) {
              require_embedding_defaults(a);
              return std::make_shared<Embedding>(a.get_int("num_embeddings"),
                                                 a.get_int("embedding_dim"),
                                                 a.get_optional_int("padding_idx"));
          }}},
        {"EmbeddingBag",
         {{req("num_embeddings", K::Int), req("embedding_dim", K::Int),
           opt("mode", K::String, "mean"), opt("include_last_offset", K::Bool, false),
           opt_none("padding_idx", K::Int), opt_none("max_norm", K::Float),
           opt("norm_type", K::Float, 2.0), opt("scale_grad_by_freq", K::Bool, false),
           opt("sparse", K::Bool, false)},
          [](const ArgReader& a) {
              require_embedding_defaults(a);
              return std::make_shared<EmbeddingBag>(
                  a.get_int("num_embeddings"), a.get_int("embedding_dim"), a.get_string("mode"),
                  a.get_bool("include_last_offset"), a.get_optional_int("padding_idx"));
          }}},
        {"CrossEntropyLoss",
         {{opt_none("weight", K::FloatList), opt("ignore_index", K::Int, -100),
           opt("reduction", K::String, "mean"), opt("label_smoothing", K::Float, 0.0)},
          [](const ArgReader& a) {
              return std::make_shared<CrossEntropyLoss>(
                  a.get_float_tensor("weight"), a.get_int("ignore_index"),
                  a.get_string("reduction"), a.get_double("label_smoothing"));
          }}},
        {"MSELoss",
         {{opt("reduction", K::String, "mean")},
          [](const ArgReader& a) { return std::make_shared<MSELoss>(a.get_string("reduction")); }}},
    };
    return table;
}

const Factory& factory(std::string_view type_name) {
    const auto& table = factories();
    auto it = table.find(type_name);
    if (it == table.end())
        throw std::invalid_argument("unknown module type '" + std::string(type_name) + "'");
    return it->second;
}

} // namespace

ModulePtr make_module(std::string_view type_name, const Arguments& arguments) {
    const Factory& f = factory(type_name);
    const std::string type(type_name);
    ArgReader reader(type, arguments, f.arguments);
    try {
        return f.build(reader);
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        if (what.rfind(type + ":", 0) == 0) throw;
        throw std::invalid_argument(type + ": " + what);
    }
}

std::vector<std::string> module_type_names() {
    std::vector<std::string> names;
    for (const auto& [name, f] : factories())
        names.push_back(name);
    return names;
}

std::vector<std::string> module_argument_names(std::string_view type_name) {
    std::vector<std::string> names;
    for (const ArgumentSpec& spec : factory(type_name).arguments)
        names.push_back(spec.name);
    return names;
}

std::vector<ArgumentSpec> module_argument_specs(std::string_view type_name) {
    return factory(type_name).arguments;
}

std::string_view argument_kind_name(ArgumentKind kind) {
    switch (kind) {
    case ArgumentKind::Int:
        return "int";
    case ArgumentKind::Float:
        return "float";
    case ArgumentKind::Bool:
        return "bool";
    case ArgumentKind::String:
        return "str";
    case ArgumentKind::IntOrTuple:
        return "int or tuple";
    case ArgumentKind::FloatList:
        return "list of floats";
    }
    return "?";
}

bool is_container_type(std::string_view type_name) {
    return type_name == "Sequential" || type_name == "ModuleList" || type_name == "ModuleDict";
}

} // namespace nnscope::nn

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

// Reads the keyword arguments of one make_module call against the names a type accepts.
class ArgReader {
public:
    ArgReader(std::string type, const Arguments& args, const std::vector<std::string>& accepted)
        : type_(std::move(type)) {
        for (const auto& [name, value] : args) {
            if (std::find(accepted.begin(), accepted.end(), name) == accepted.end())
                throw std::invalid_argument(type_ + ": unknown argument '" + name +
                                            "' (accepted: " + join(accepted) + ")");
            if (!values_.emplace(name, value).second)
                throw std::invalid_argument(type_ + ": argument '" + name + "' given twice");
        }
    }

    const Value* find(const std::string& name) const {
        auto it = values_.find(name);
        return it == values_.end() ? nullptr : &it->second;
    }
    // The value as given (the module checks its form), or fallback.
    Value get(const std::string& name, const Value& fallback) const {
        const Value* v = find(name);
        return v ? *v : fallback;
    }
    const Value& required(const std::string& name) const {
        if (const Value* v = find(name)) return *v;
        throw std::invalid_argument(type_ + ": missing required argument '" + name + "'");
    }
    std::int64_t get_int(const std::string& name) const {
        return check(name, required(name), 'i').as_int();
    }
    std::int64_t get_int(const std::string& name, std::int64_t fallback) const {
        const Value* v = find(name);
        return v ? check(name, *v, 'i').as_int() : fallback;
    }
    std::optional<std::int64_t> get_optional_int(const std::string& name) const {
        const Value* v = find(name);
        if (!v || v->is_none()) return std::nullopt;
        return check(name, *v, 'i').as_int();
    }
    double get_double(const std::string& name, double fallback) const {
        const Value* v = find(name);
        return v ? check(name, *v, 'f').as_double() : fallback;
    }
    // A number kept as given (an int stays an int, for repr).
    Value get_number(const std::string& name, const Value& fallback) const {
        const Value* v = find(name);
        return v ? check(name, *v, 'f') : fallback;
    }
    std::optional<double> get_optional_double(const std::string& name,
                                              std::optional<double> fallback) const {
        const Value* v = find(name);
        if (!v) return fallback;
        if (v->is_none()) return std::nullopt;
        return check(name, *v, 'f').as_double();
    }
    bool get_bool(const std::string& name, bool fallback) const {
        const Value* v = find(name);
        return v ? check(name, *v, 'b').as_bool() : fallback;
    }
    std::string get_string(const std::string& name, const std::string& fallback) const {
        const Value* v = find(name);
        return v ? check(name, *v, 's').as_string() : fallback;
    }
    // An argument nnscope accepts only at PyTorch's default (a file may spell the default out).
    void require_default(const std::string& name, const Value& fallback) const {
        const Value* v = find(name);
        if (!v) return;
        const bool same =
            (v->is_number() && fallback.is_number() && !v->is_bool() && !fallback.is_bool())
                ? v->as_double() == fallback.as_double()
                : *v == fallback;
        if (!same)
            throw std::invalid_argument(type_ + ": argument '" + name + "' = " + v->repr() +
                                        " is not supported (only its default " + fallback.repr() +
                                        ")");
    }
    // An int or a tuple of two ints (or, when strings_ok, a string such as "same").
    Value get_size(const std::string& name, const Value& fallback, bool strings_ok = false) const {
        const Value* v = find(name);
        if (!v) return fallback;
        if (v->is_none() && fallback.is_none()) return *v;
        if (strings_ok && v->is_string()) return *v;
        try {
            value_to_pair(*v, name);
        } catch (const std::invalid_argument&) {
            throw std::invalid_argument(
                type_ + ": argument '" + name + "' must be an int or a tuple of 2 ints" +
                (strings_ok ? " or a string" : "") + ", got " + v->type_name() + " " + v->repr());
        }
        return *v;
    }
    Shape get_shape(const std::string& name) const {
        const Value& v = required(name);
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
        const Value* v = find(name);
        if (!v || v->is_none()) return {};
        std::vector<double> values;
        if (v->is_list())
            for (const Value& e : v->as_list())
                values.push_back(check(name, e, 'f').as_double());
        else
            check(name, *v, 'l');
        return Tensor::from_vector(values, {static_cast<std::int64_t>(values.size())});
    }

private:
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
    static std::string join(const std::vector<std::string>& names) {
        std::string out;
        for (const auto& n : names)
            out += (out.empty() ? "" : ", ") + n;
        return out;
    }

    std::string type_;
    std::map<std::string, Value> values_;
};

struct Factory {
    std::vector<std::string> arguments;
    std::function<ModulePtr(const ArgReader&)> build;
};

// max_norm renormalises rows in place during forward and sparse / scale_grad_by_freq change the
// gradient's layout: none is implemented, so only their defaults are accepted.
void require_embedding_defaults(const ArgReader& a) {
    a.require_default("max_norm", Value());
    a.require_default("norm_type", Value(2.0));
    a.require_default("scale_grad_by_freq", Value(false));
    a.require_default("sparse", Value(false));
}

// An activation whose only argument is inplace.
template <class M> Factory inplace_factory() {
    return {{"inplace"},
            [](const ArgReader& a) { return std::make_shared<M>(a.get_bool("inplace", false)); }};
}

const std::map<std::string, Factory, std::less<>>& factories() {
    static const std::map<std::string, Factory, std::less<>> table = {
        {"Linear",
         {{"in_features", "out_features", "bias"},
          [](const ArgReader& a) {
              return std::make_shared<Linear>(a.get_int("in_features"), a.get_int("out_features"),
                                              a.get_bool("bias", true));
          }}},
        {"LazyLinear",
         {{"out_features", "bias"},
          [](const ArgReader& a) {
              return std::make_shared<LazyLinear>(a.get_int("out_features"),
                                                  a.get_bool("bias", true));
          }}},
        {"Identity", {{}, [](const ArgReader&) { return std::make_shared<Identity>(); }}},
        {"Sequential", {{}, [](const ArgReader&) { return std::make_shared<Sequential>(); }}},
        {"ModuleList", {{}, [](const ArgReader&) { return std::make_shared<ModuleList>(); }}},
        {"ModuleDict", {{}, [](const ArgReader&) { return std::make_shared<ModuleDict>(); }}},
        {"ReLU",
         {{"inplace"},
          [](const ArgReader& a) { return std::make_shared<ReLU>(a.get_bool("inplace", false)); }}},
        {"Sigmoid", {{}, [](const ArgReader&) { return std::make_shared<Sigmoid>(); }}},
        {"ReLU6", inplace_factory<ReLU6>()},
        {"Hardsigmoid", inplace_factory<Hardsigmoid>()},
        {"Hardswish", inplace_factory<Hardswish>()},
        {"SiLU", inplace_factory<SiLU>()},
        {"Tanh", {{}, [](const ArgReader&) { return std::make_shared<Tanh>(); }}},
        {"LeakyReLU",
         {{"negative_slope", "inplace"},
          [](const ArgReader& a) {
              return std::make_shared<LeakyReLU>(a.get_double("negative_slope", 0.01),
                                                 a.get_bool("inplace", false));
          }}},
        {"ELU",
         {{"alpha", "inplace"},
          [](const ArgReader& a) {
              return std::make_shared<ELU>(a.get_double("alpha", 1.0),
                                           a.get_bool("inplace", false));
          }}},
        {"Softplus",
         {{"beta", "threshold"},
          [](const ArgReader& a) {
              return std::make_shared<Softplus>(a.get_number("beta", Value(1)),
                                                a.get_number("threshold", Value(20)));
          }}},
        {"GELU",
         {{"approximate"},
          [](const ArgReader& a) {
              return std::make_shared<GELU>(a.get_string("approximate", "none"));
          }}},
        {"Softmax",
         {{"dim"},
          [](const ArgReader& a) { return std::make_shared<Softmax>(a.get_optional_int("dim")); }}},
        {"LogSoftmax",
         {{"dim"},
          [](const ArgReader& a) {
              return std::make_shared<LogSoftmax>(a.get_optional_int("dim"));
          }}},
        {"Flatten",
         {{"start_dim", "end_dim"},
          [](const ArgReader& a) {
              return std::make_shared<Flatten>(a.get_int("start_dim", 1), a.get_int("end_dim", -1));
          }}},
        {"Dropout",
         {{"p", "inplace"},
          [](const ArgReader& a) {
              return std::make_shared<Dropout>(a.get_double("p", 0.5),
                                               a.get_bool("inplace", false));
          }}},
        {"Conv1d",
         {{"in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups",
           "bias", "padding_mode"},
          [](const ArgReader& a) {
              return std::make_shared<Conv1d>(a.get_int("in_channels"), a.get_int("out_channels"),
                                              a.required("kernel_size"), a.get("stride", 1),
                                              a.get("padding", 0), a.get("dilation", 1),
                                              a.get_int("groups", 1), a.get_bool("bias", true),
                                              a.get_string("padding_mode", "zeros"));
          }}},
        {"Conv2d",
         {{"in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups",
           "bias", "padding_mode"},
          [](const ArgReader& a) {
              return std::make_shared<Conv2d>(
                  a.get_int("in_channels"), a.get_int("out_channels"),
                  a.get_size("kernel_size", a.required("kernel_size")), a.get_size("stride", 1),
                  a.get_size("padding", 0, true), a.get_size("dilation", 1), a.get_int("groups", 1),
                  a.get_bool("bias", true), a.get_string("padding_mode", "zeros"));
          }}},
        {"MaxPool2d",
         {{"kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"},
          [](const ArgReader& a) {
              return std::make_shared<MaxPool2d>(
                  a.get_size("kernel_size", a.required("kernel_size")),
                  a.get_size("stride", Value()), a.get_size("padding", 0),
                  a.get_size("dilation", 1), a.get_bool("return_indices", false),
                  a.get_bool("ceil_mode", false));
          }}},
        {"AvgPool2d",
         {{"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
           "divisor_override"},
          [](const ArgReader& a) {
              const auto divisor = a.get_optional_int("divisor_override");
              return std::make_shared<AvgPool2d>(
                  a.get_size("kernel_size", a.required("kernel_size")),
                  a.get_size("stride", Value()), a.get_size("padding", 0),
                  a.get_bool("ceil_mode", false), a.get_bool("count_include_pad", true),
                  divisor ? Value(*divisor) : Value());
          }}},
        {"AdaptiveAvgPool2d",
         {{"output_size"},
          [](const ArgReader& a) {
              return std::make_shared<AdaptiveAvgPool2d>(a.required("output_size"));
          }}},
        {"BatchNorm1d",
         {{"num_features", "eps", "momentum", "affine", "track_running_stats"},
          [](const ArgReader& a) {
              return std::make_shared<BatchNorm1d>(
                  a.get_int("num_features"), a.get_double("eps", 1e-5),
                  a.get_optional_double("momentum", 0.1), a.get_bool("affine", true),
                  a.get_bool("track_running_stats", true));
          }}},
        {"BatchNorm2d",
         {{"num_features", "eps", "momentum", "affine", "track_running_stats"},
          [](const ArgReader& a) {
              return std::make_shared<BatchNorm2d>(
                  a.get_int("num_features"), a.get_double("eps", 1e-5),
                  a.get_optional_double("momentum", 0.1), a.get_bool("affine", true),
                  a.get_bool("track_running_stats", true));
          }}},
        {"LayerNorm",
         {{"normalized_shape", "eps", "elementwise_affine"},
          [](const ArgReader& a) {
              return std::make_shared<LayerNorm>(a.get_shape("normalized_shape"),
                                                 a.get_double("eps", 1e-5),
                                                 a.get_bool("elementwise_affine", true));
          }}},
        {"Embedding",
         {{"num_embeddings", "embedding_dim", "padding_idx", "max_norm", "norm_type",
           "scale_grad_by_freq", "sparse"},
          [](const ArgReader& a) {
              require_embedding_defaults(a);
              return std::make_shared<Embedding>(a.get_int("num_embeddings"),
                                                 a.get_int("embedding_dim"),
                                                 a.get_optional_int("padding_idx"));
          }}},
        {"EmbeddingBag",
         {{"num_embeddings", "embedding_dim", "mode", "include_last_offset", "padding_idx",
           "max_norm", "norm_type", "scale_grad_by_freq", "sparse"},
          [](const ArgReader& a) {
              require_embedding_defaults(a);
              return std::make_shared<EmbeddingBag>(
                  a.get_int("num_embeddings"), a.get_int("embedding_dim"),
                  a.get_string("mode", "mean"), a.get_bool("include_last_offset", false),
                  a.get_optional_int("padding_idx"));
          }}},
        {"CrossEntropyLoss",
         {{"weight", "ignore_index", "reduction", "label_smoothing"},
          [](const ArgReader& a) {
              return std::make_shared<CrossEntropyLoss>(
                  a.get_float_tensor("weight"), a.get_int("ignore_index", -100),
                  a.get_string("reduction", "mean"), a.get_double("label_smoothing", 0.0));
          }}},
        {"MSELoss",
         {{"reduction"},
          [](const ArgReader& a) {
              return std::make_shared<MSELoss>(a.get_string("reduction", "mean"));
          }}},
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
    return factory(type_name).arguments;
}

} // namespace nnscope::nn

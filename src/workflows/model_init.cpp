#include "workflows/model_init.h"

#include "engine/autograd/grad_mode.h"
#include "engine/nn/init.h"
#include "engine/nn/value.h"

#include <array>
#include <string_view>

namespace nnscope::workflows {

namespace {

bool takes_init(const nn::Module& m) {
    static constexpr std::array<std::string_view, 4> types = {"Linear", "Conv2d", "Embedding",
                                                              "EmbeddingBag"};
    for (const auto type : types)
        if (m.type_name() == type) return true;
    return false;
}

// The module's parameter `name`, or an undefined tensor for None or none at all.
Tensor parameter_or_none(const nn::Module& m, const std::string& name) {
    const Tensor* p = m.parameter_dict().find(name);
    return p ? *p : Tensor();
}

void init_weight(const Tensor& w, const InitConfig& c) {
    namespace init = nn::init;
    const std::string& s = c.scheme;
    if (s == "xavier_uniform")
        init::xavier_uniform_(w);
    else if (s == "xavier_normal")
        init::xavier_normal_(w);
    else if (s == "kaiming_uniform")
        init::kaiming_uniform_(w, 0.0, "fan_in", "relu");
    else if (s == "kaiming_normal")
        init::kaiming_normal_(w, 0.0, "fan_in", "relu");
    else if (s == "normal")
        init::normal_(w, 0.0, c.std);
    else
        init::zeros_(w);
}

} // namespace

std::string init_call(const InitConfig& c) {
    const std::string& s = c.scheme;
    if (s == "default") return "";
    if (s == "kaiming_uniform" || s == "kaiming_normal")
        return "nn.init." + s + "_(m.weight, nonlinearity=\"relu\")";
    if (s == "normal")
        return "nn.init.normal_(m.weight, 0.0, " + nn::python_float_repr(c.std) + ")";
    return "nn.init." + s + "_(m.weight)";
}

void apply_init(nn::Module& model, const InitConfig& c) {
    validate(c);
    if (c.scheme == "default") return;
    autograd::NoGradGuard no_grad;
    model.apply([&](nn::Module& m) {
        if (!takes_init(m)) return;
        init_weight(m.parameter("weight"), c);
        if (const Tensor bias = parameter_or_none(m, "bias"); bias.defined())
            nn::init::zeros_(bias);
    });
}

} // namespace nnscope::workflows

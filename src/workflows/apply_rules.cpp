#include "workflows/apply_rules.h"

#include "engine/autograd/grad_mode.h"
#include "engine/nn/init.h"
#include "engine/nn/value.h"
#include "workflows/registered_tensors.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace nnscope::workflows {

namespace {

void check(const InitRule& r) {
    const auto& schemes = init_scheme_names();
    if (std::find(schemes.begin(), schemes.end(), r.scheme) != schemes.end()) return;
    std::string known;
    for (const auto& s : schemes)
        known += (known.empty() ? "" : ", ") + s;
    throw std::invalid_argument("init rule for " + r.module_type + "." + r.tensor +
                                ": unknown scheme '" + r.scheme + "' (known: " + known + ")");
}

std::string num(double v) {
    return nn::python_float_repr(v);
}

// The call as PyTorch code, on `m.TENSOR`.
std::string call_text(const InitRule& r) {
    const std::string t = "m." + r.tensor;
    const std::string& s = r.scheme;
    if (s == "constant") return "nn.init.constant_(" + t + ", " + num(r.a) + ")";
    if (s == "normal") return "nn.init.normal_(" + t + ", " + num(r.a) + ", " + num(r.b) + ")";
    if (s == "uniform") return "nn.init.uniform_(" + t + ", " + num(r.a) + ", " + num(r.b) + ")";
    if (s == "xavier_uniform" || s == "xavier_normal")
        return "nn.init." + s + "_(" + t + ", gain=" + num(r.b) + ")";
    if (s == "kaiming_uniform" || s == "kaiming_normal")
        return "nn.init." + s + "_(" + t + ", nonlinearity=\"relu\")";
    return "nn.init." + s + "_(" + t + ")";
}

// What PyTorch 1.13 raises when nn.init meets a lazy module's UninitializedParameter (checked
// here scheme by scheme; PyTorch prints a function's address where "<function normal_>" is).
std::string uninitialized_error(const InitRule& r) {
    if (r.scheme == "kaiming_normal")
        return "RuntimeError: Can't access the shape of an uninitialized parameter or buffer. This "
               "error usually happens in `load_state_dict` when trying to load an uninitialized "
               "parameter into an initialized one. Call `forward` to initialize the parameters "
               "before accessing their attributes.";
    std::string in = "<function " + r.scheme + "_>";
    if (r.scheme == "zeros") in = "<method 'zero_' of 'torch._C._TensorBase' objects>";
    if (r.scheme == "ones") in = "<method 'fill_' of 'torch._C._TensorBase' objects>";
    if (r.scheme.starts_with("xavier")) in = "<method 'dim' of 'torch._C._TensorBase' objects>";
    return "ValueError: Attempted to use an uninitialized parameter in " + in +
           ". This error happens when you are using a `LazyModule` or explicitly manipulating "
           "`torch.nn.parameter.UninitializedParameter` objects. When using LazyModules Call "
           "`forward` with a dummy batch to initialize the parameters before calling torch "
           "functions";
}

void run(const InitRule& r, const Tensor& t) {
    const std::string& s = r.scheme;
    if (s == "zeros")
        nn::init::zeros_(t);
    else if (s == "ones")
        nn::init::ones_(t);
    else if (s == "constant")
        nn::init::constant_(t, r.a);
    else if (s == "normal")
        nn::init::normal_(t, r.a, r.b);
    else if (s == "uniform")
        nn::init::uniform_(t, r.a, r.b);
    else if (s == "xavier_uniform")
        nn::init::xavier_uniform_(t, r.b);
    else if (s == "xavier_normal")
        nn::init::xavier_normal_(t, r.b);
    else if (s == "kaiming_uniform")
        nn::init::kaiming_uniform_(t, 0.0, "fan_in", "relu");
    else
        nn::init::kaiming_normal_(t, 0.0, "fan_in", "relu");
}

bool matches(const InitRule& r, const nn::Module& m) {
    return r.module_type == "*" || r.module_type == m.type_name();
}

} // namespace

const std::vector<std::string>& init_scheme_names() {
    static const std::vector<std::string> names = {
        "zeros",          "ones",          "constant",        "normal",        "uniform",
        "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal"};
    return names;
}

std::vector<ApplyStep> apply_rules(nn::Module& model, const std::vector<InitRule>& rules) {
    for (const auto& r : rules)
        check(r);
    std::unordered_map<const nn::Module*, std::string> paths;
    for (const auto& [path, m] : model.named_modules())
        paths[m] = path;
    std::vector<ApplyStep> steps;
    autograd::NoGradGuard no_grad;
    model.apply([&](nn::Module& m) {
        ApplyStep step{paths.at(&m), m.type_name(), {}, {}};
        const auto skip = [&step](std::string why) {
            step.calls.push_back("skipped: " + std::move(why));
            step.keys.emplace_back();
        };
        for (const auto& r : rules) {
            if (!matches(r, m)) continue;
            Tensor t;
            if (m.parameter_dict().contains(r.tensor))
                t = m.parameter(r.tensor);
            else if (m.buffer_dict().contains(r.tensor))
                t = m.buffer(r.tensor);
            else {
                skip(m.type_name() + " has no '" + r.tensor + "'");
                continue;
            }
            if (!t.defined() && workflows::is_uninitialized_parameter(m, r.tensor)) {
                // Not None, so the rule's guard lets it through, and nn.init raises.
                const std::string& path = paths.at(&m);
                throw std::runtime_error("apply stopped at module '" + path + "' (" +
                                         m.type_name() + "), " + call_text(r) + ": " +
                                         uninitialized_error(r));
            }
            if (!t.defined()) {
                skip("m." + r.tensor + " is None");
                continue;
            }
            run(r, t);
            step.calls.push_back(call_text(r));
            step.keys.push_back(step.path.empty() ? r.tensor : step.path + "." + r.tensor);
        }
        steps.push_back(std::move(step));
    });
    return steps;
}

std::string apply_rules_script(const std::vector<InitRule>& rules) {
    for (const auto& r : rules)
        check(r);
    std::string out = "def init(m):\n";
    if (rules.empty()) out += "    pass\n";
    for (const auto& r : rules) {
        const std::string guard =
            r.module_type == "*" ? std::string("True") : "type(m) is nn." + r.module_type;
        out += "    if " + guard + " and getattr(m, \"" + r.tensor + "\", None) is not None:\n";
        out += "        " + call_text(r) + "\n";
    }
    out += "\nmodel.apply(init)\n";
    return out;
}

} // namespace nnscope::workflows

#include "engine/nn/module.h"

#include "engine/zero_grad.h"

#include <sstream>
#include <stdexcept>

namespace nnscope::nn {

namespace {

// _addindent: indents every line but the first by `spaces`.
std::string add_indent(const std::string& text, int spaces) {
    std::string out;
    for (char c : text) {
        out += c;
        if (c == '\n') out += std::string(static_cast<std::size_t>(spaces), ' ');
    }
    return out;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        lines.push_back(line);
    if (!text.empty() && text.back() == '\n') lines.emplace_back();
    return lines;
}

} // namespace

Module::Module(std::string type_name)
    : type_name_(std::move(type_name)) {}

std::string Module::repr() const {
    std::vector<std::string> extra_lines;
    const std::string extra = extra_repr();
    if (!extra.empty()) extra_lines = split_lines(extra);
    std::vector<std::string> child_lines;
    for (const auto& [key, module] : modules_)
        child_lines.push_back("(" + key + "): " + add_indent(module ? module->repr() : "None", 2));
    std::string main = type_name_ + "(";
    if (!extra_lines.empty() || !child_lines.empty()) {
        if (extra_lines.size() == 1 && child_lines.empty()) {
            main += extra_lines[0];
        } else {
            main += "\n";
            for (const auto* lines : {&extra_lines, &child_lines})
                for (const auto& line : *lines)
                    main += "  " + line + "\n";
        }
    }
    return main + ")";
}

Tensor Module::call(std::vector<Tensor> inputs) {
    if (inputs.size() < min_inputs() || inputs.size() > max_inputs()) {
        const std::size_t lo = min_inputs(), hi = max_inputs();
        throw std::invalid_argument(type_name_ + ".forward() takes " + std::to_string(lo) +
                                    (hi > lo ? " to " + std::to_string(hi) : std::string()) +
                                    " input tensor(s) but " + std::to_string(inputs.size()) +
                                    " were given");
    }
    if (!has_call_hooks()) return forward_inputs(inputs);
    // The hooks live behind a shared_ptr: keep them alive even if a hook removes the last one.
    const std::shared_ptr<ModuleHooks> hooks = hooks_;
    return call_with_hooks(*this, *hooks, std::move(inputs),
                           [this](const std::vector<Tensor>& in) { return forward_inputs(in); });
}

Tensor Module::forward(const Tensor&) {
    throw std::runtime_error("Module [" + type_name_ +
                             "] is missing the required \"forward\" "
                             "function");
}

Tensor Module::forward_inputs(const std::vector<Tensor>& inputs) {
    return forward(inputs.at(0));
}

void Module::check_name(const std::string& name, const char* kind, bool exists_elsewhere) const {
    const std::string k(kind);
    if (name.find('.') != std::string::npos)
        throw std::invalid_argument(k + " name can't contain \".\"" +
                                    (k == "module" ? ", got: " + name : std::string()));
    if (name.empty()) throw std::invalid_argument(k + " name can't be empty string \"\"");
    if (exists_elsewhere) throw std::invalid_argument("attribute '" + name + "' already exists");
}

void Module::register_parameter(const std::string& name, const Tensor& param, bool requires_grad) {
    check_name(name, "parameter", buffers_.contains(name) || modules_.contains(name));
    if (param.defined()) {
        if (!param.is_leaf())
            throw std::invalid_argument(
                "Cannot assign non-leaf Tensor to parameter '" + name +
                "'. Model parameters must be created explicitly. To express '" + name +
                "' as a function of another Tensor, compute the value in a forward() method.");
        Tensor leaf = param;
        leaf.requires_grad_(requires_grad);
    }
    parameters_.insert(name, param);
}

void Module::register_buffer(const std::string& name, const Tensor& tensor, bool persistent) {
    check_name(name, "buffer", parameters_.contains(name) || modules_.contains(name));
    buffers_.insert(name, tensor);
    if (persistent)
        non_persistent_buffers_.erase(name);
    else
        non_persistent_buffers_.insert(name);
}

ModulePtr Module::register_module(const std::string& name, ModulePtr module) {
    // PyTorch's add_module checks the clash before the name's form.
    if (parameters_.contains(name) || buffers_.contains(name))
        throw std::invalid_argument("attribute '" + name + "' already exists");
    check_name(name, "module", false);
    if (module.get() == this)
        throw std::invalid_argument("cannot register a module as its own child '" + name + "'");
    modules_.insert(name, module);
    return module;
}

Tensor Module::parameter(const std::string& name) const {
    if (const Tensor* t = parameters_.find(name)) return *t;
    throw std::out_of_range("'" + type_name_ + "' object has no parameter '" + name + "'");
}

Tensor Module::buffer(const std::string& name) const {
    if (const Tensor* t = buffers_.find(name)) return *t;
    throw std::out_of_range("'" + type_name_ + "' object has no buffer '" + name + "'");
}

ModulePtr Module::child(const std::string& name) const {
    if (const ModulePtr* m = modules_.find(name)) return *m;
    throw std::out_of_range("'" + type_name_ + "' object has no submodule '" + name + "'");
}

void Module::collect_modules(NamedModules& out, std::unordered_set<const Module*>& memo,
                             const std::string& prefix, bool remove_duplicate) const {
    if (memo.count(this)) return;
    if (remove_duplicate) memo.insert(this);
    out.emplace_back(prefix, const_cast<Module*>(this));
    for (const auto& [name, module] : modules_) {
        if (!module) continue;
        module->collect_modules(out, memo, prefix + (prefix.empty() ? "" : ".") + name,
                                remove_duplicate);
    }
}

NamedModules Module::named_modules(const std::string& prefix, bool remove_duplicate) const {
    NamedModules out;
    std::unordered_set<const Module*> memo;
    collect_modules(out, memo, prefix, remove_duplicate);
    return out;
}

std::vector<Module*> Module::modules() const {
    std::vector<Module*> out;
    for (const auto& [name, module] : named_modules())
        out.push_back(module);
    return out;
}

std::vector<std::pair<std::string, ModulePtr>> Module::named_children() const {
    std::vector<std::pair<std::string, ModulePtr>> out;
    std::unordered_set<const Module*> memo;
    for (const auto& [name, module] : modules_)
        if (module && memo.insert(module.get()).second) out.emplace_back(name, module);
    return out;
}

std::vector<ModulePtr> Module::children() const {
    std::vector<ModulePtr> out;
    for (auto& [name, module] : named_children())
        out.push_back(std::move(module));
    return out;
}

NamedTensors Module::named_members(const std::string& prefix, bool recurse, bool buffers) const {
    NamedModules modules;
    if (recurse)
        modules = named_modules(prefix);
    else
        modules.emplace_back(prefix, const_cast<Module*>(this));
    NamedTensors out;
    std::unordered_set<const TensorImpl*> memo;
    for (const auto& [module_prefix, module] : modules) {
        const auto& members = buffers ? module->buffers_ : module->parameters_;
        for (const auto& [name, tensor] : members) {
            if (!tensor.defined() || !memo.insert(tensor.unsafe_impl()).second) continue;
            out.emplace_back(module_prefix + (module_prefix.empty() ? "" : ".") + name, tensor);
        }
    }
    return out;
}

NamedTensors Module::named_parameters(const std::string& prefix, bool recurse) const {
    return named_members(prefix, recurse, false);
}

std::vector<Tensor> Module::parameters(bool recurse) const {
    std::vector<Tensor> out;
    for (auto& [name, t] : named_parameters("", recurse))
        out.push_back(std::move(t));
    return out;
}

NamedTensors Module::named_buffers(const std::string& prefix, bool recurse) const {
    return named_members(prefix, recurse, true);
}

std::vector<Tensor> Module::buffers(bool recurse) const {
    std::vector<Tensor> out;
    for (auto& [name, t] : named_buffers("", recurse))
        out.push_back(std::move(t));
    return out;
}

Module& Module::train(bool mode) {
    training_ = mode;
    for (const auto& module : children())
        module->train(mode);
    return *this;
}

Module& Module::apply(const std::function<void(Module&)>& fn) {
    for (const auto& module : children())
        module->apply(fn);
    fn(*this);
    return *this;
}

void Module::zero_grad(bool set_to_none) {
    zero_grads(parameters(), set_to_none);
}

Module& Module::requires_grad_(bool requires_grad) {
    for (Tensor& p : parameters())
        p.requires_grad_(requires_grad);
    return *this;
}

ModuleHooks& Module::hooks() {
    if (!hooks_) hooks_ = std::make_shared<ModuleHooks>();
    return *hooks_;
}

HookHandle Module::register_forward_pre_hook(ForwardPreHook hook) {
    hooks();
    return add_module_hook(hooks_, &ModuleHooks::forward_pre, std::move(hook));
}

HookHandle Module::register_forward_hook(ForwardHook hook) {
    hooks();
    return add_module_hook(hooks_, &ModuleHooks::forward, std::move(hook));
}

HookHandle Module::register_full_backward_pre_hook(BackwardPreHook hook) {
    hooks();
    return add_module_hook(hooks_, &ModuleHooks::backward_pre, std::move(hook));
}

namespace {
const char* const both_backward_hooks = "Cannot use both regular backward hooks and full backward "
                                        "hooks on a single Module. Please use only one of them.";
}

HookHandle Module::register_full_backward_hook(BackwardHook hook) {
    if (hooks().full_backward == false) throw std::runtime_error(both_backward_hooks);
    hooks_->full_backward = true;
    return add_module_hook(hooks_, &ModuleHooks::backward, std::move(hook));
}

HookHandle Module::register_backward_hook(BackwardHook hook, bool beside_full_hooks) {
    if (!beside_full_hooks) {
        if (hooks().full_backward == true) throw std::runtime_error(both_backward_hooks);
        hooks_->full_backward = false;
    }
    hooks();
    return add_module_hook(hooks_, &ModuleHooks::legacy_backward, std::move(hook));
}

HookHandle Module::register_state_dict_hook(StateDictHook hook) {
    hooks();
    return add_module_hook(hooks_, &ModuleHooks::state_dict, std::move(hook));
}

HookHandle Module::register_load_state_dict_pre_hook(LoadStateDictPreHook hook) {
    hooks();
    return add_module_hook(hooks_, &ModuleHooks::load_state_dict_pre, std::move(hook));
}

HookHandle Module::register_load_state_dict_post_hook(LoadStateDictPostHook hook) {
    hooks();
    return add_module_hook(hooks_, &ModuleHooks::load_state_dict_post, std::move(hook));
}

} // namespace nnscope::nn

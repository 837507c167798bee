#pragma once
// nn.Module: parameters, buffers and submodules registered by name in insertion order, the
// recursive walks over them with PyTorch's dotted names, train/eval, apply, state_dict and the
// hooked call operator. Modules live in std::shared_ptr (ModulePtr); a module owns its children.
//
// A module's forward takes one tensor (forward(const Tensor&)); modules with more inputs (losses,
// EmbeddingBag) override forward_inputs. Call modules through operator(), which runs the hooks;
// with no hooks registered it is a plain virtual call.

#include "engine/nn/declared_tensor.h"
#include "engine/nn/hooks.h"
#include "engine/nn/ordered_dict.h"
#include "engine/nn/value.h"
#include "engine/tensor.h"

#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace nnscope::nn {

class Module;
using ModulePtr = std::shared_ptr<Module>;
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;
using NamedModules = std::vector<std::pair<std::string, Module*>>;

class Module {
public:
    // type_name is PyTorch's class name ("Linear"), shown by repr() and used by make_module.
    explicit Module(std::string type_name);
    virtual ~Module() = default;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    const std::string& type_name() const { return type_name_; }
    // Constructor arguments by name, such that make_module(type_name(), arguments()) rebuilds
    // an equivalent module (containers rebuild empty and get their children added).
    virtual Arguments arguments() const { return {}; }
    // The text PyTorch's extra_repr() gives, e.g. "in_features=2, out_features=3, bias=True".
    virtual std::string extra_repr() const { return {}; }
    // The whole tree exactly as print(model) shows it.
    std::string repr() const;
    // True for a lazy module whose parameters await the first input (LazyLinear).
    virtual bool has_uninitialized_params() const { return false; }

    // --- calling -------------------------------------------------------------------------------
    // Without hooks a one-input call is a plain virtual call to forward (no allocation), so a
    // subclass's forward(x) must do what forward_inputs({x}) does.
    Tensor operator()(const Tensor& input) {
        if (!has_call_hooks() && min_inputs() == 1) return forward(input);
        return call({input});
    }
    Tensor operator()(const Tensor& a, const Tensor& b) { return call({a, b}); }
    // Runs hooks around forward_inputs (Module.__call__).
    Tensor call(std::vector<Tensor> inputs);
    // The computation. The default throws as PyTorch does for a module without forward.
    virtual Tensor forward(const Tensor& input);
    // How many tensors forward takes (losses: 2). Calls with another count are an error.
    virtual std::size_t min_inputs() const { return 1; }
    virtual std::size_t max_inputs() const { return 1; }

    // --- registration (PyTorch's register_parameter, register_buffer, add_module) --------------
    // An undefined tensor registers None (e.g. bias=False). A defined one must be a leaf; it is
    // made to require grad unless requires_grad is false. Registering an existing parameter
    // name replaces the value in place.
    void register_parameter(const std::string& name, const Tensor& param,
                            bool requires_grad = true);
    void register_buffer(const std::string& name, const Tensor& tensor, bool persistent = true);
    // nullptr registers None. Returns the module for chaining.
    ModulePtr register_module(const std::string& name, ModulePtr module);
    template <class M>
    std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
        register_module(name, ModulePtr(module));
        return module;
    }

    // A tensor of the module's own beyond what its constructor made (declared_tensor.h): checks
    // the name as PyTorch does, makes the value, registers it, and appends the declaration to
    // declared_tensors() (kept in declaration order for describe_module and the export).
    void declare_tensor(const TensorDeclaration& declaration);
    const std::vector<TensorDeclaration>& declared_tensors() const { return declared_tensors_; }

    // Direct members (self._parameters / _buffers / _modules), None entries included.
    const OrderedDict<Tensor>& parameter_dict() const { return parameters_; }
    const OrderedDict<Tensor>& buffer_dict() const { return buffers_; }
    const OrderedDict<ModulePtr>& module_dict() const { return modules_; }
    bool is_persistent_buffer(const std::string& name) const {
        return non_persistent_buffers_.count(name) == 0;
    }
    // Direct member by name; throws std::out_of_range naming the module type when absent.
    Tensor parameter(const std::string& name) const;
    Tensor buffer(const std::string& name) const;
    ModulePtr child(const std::string& name) const;

    // --- walks ---------------------------------------------------------------------------------
    // Each tensor once, even when shared; None entries skipped; parameters never include buffers.
    NamedTensors named_parameters(const std::string& prefix = "", bool recurse = true) const;
    std::vector<Tensor> parameters(bool recurse = true) const;
    NamedTensors named_buffers(const std::string& prefix = "", bool recurse = true) const;
    std::vector<Tensor> buffers(bool recurse = true) const;
    // Pre-order, root named prefix (""); a shared module once unless remove_duplicate is false.
    NamedModules named_modules(const std::string& prefix = "", bool remove_duplicate = true) const;
    std::vector<Module*> modules() const;
    std::vector<std::pair<std::string, ModulePtr>> named_children() const;
    std::vector<ModulePtr> children() const;

    // --- state ---------------------------------------------------------------------------------
    // Recursive; returns *this. BatchNorm and Dropout read is_training().
    Module& train(bool mode = true);
    Module& eval() { return train(false); }
    bool is_training() const { return training_; }
    // fn on every submodule (children first, depth-first), then on this module.
    Module& apply(const std::function<void(Module&)>& fn);
    // PyTorch 1.13's default set_to_none=false zero-fills existing gradients; true drops them.
    void zero_grad(bool set_to_none = false);
    Module& requires_grad_(bool requires_grad = true);

    // --- state_dict (state_dict.cpp) -----------------------------------------------------------
    // Parameters and persistent buffers, detached, keyed by dotted names.
    StateDict state_dict(const std::string& prefix = "") const;
    // Copies values in place under no-grad. Collects missing / unexpected keys; with strict,
    // any of them (or a size mismatch, always) throws PyTorch's "Error(s) in loading state_dict".
    IncompatibleKeys load_state_dict(const StateDict& state_dict, bool strict = true);

    // --- hooks ---------------------------------------------------------------------------------
    HookHandle register_forward_pre_hook(ForwardPreHook hook);
    HookHandle register_forward_hook(ForwardHook hook);
    HookHandle register_full_backward_pre_hook(BackwardPreHook hook);
    // Throws std::runtime_error, as PyTorch, once the module has a legacy backward hook.
    HookHandle register_full_backward_hook(BackwardHook hook);
    // PyTorch 1.13's deprecated non-full hook (hooks.h): fires on the grad_fn of the output's last
    // operation, with that node's grad_inputs; warns (nn::warn) when they are not the module's.
    // Throws once the module has a full backward hook, as PyTorch does, unless beside_full_hooks
    // (nnscope's training probe, which shows both kinds side by side to compare them).
    HookHandle register_backward_hook(BackwardHook hook, bool beside_full_hooks = false);
    HookHandle register_state_dict_hook(StateDictHook hook);
    HookHandle register_load_state_dict_pre_hook(LoadStateDictPreHook hook);
    HookHandle register_load_state_dict_post_hook(LoadStateDictPostHook hook);
    bool has_call_hooks() const { return hooks_ && !hooks_->call_hooks_empty(); }

protected:
    // Lazy modules become their eager class once initialised (PyTorch's cls_to_become).
    void set_type_name(std::string type_name) { type_name_ = std::move(type_name); }
    // The computation over all inputs; the default forwards a single input to forward().
    virtual Tensor forward_inputs(const std::vector<Tensor>& inputs);
    // PyTorch's _save_to_state_dict / _load_from_state_dict for this module's own members.
    virtual void save_to_state_dict(StateDict& destination, const std::string& prefix) const;
    virtual void load_from_state_dict(StateDict& state_dict, const std::string& prefix,
                                      IncompatibleKeys& keys, std::vector<std::string>& error_msgs);

private:
    void check_name(const std::string& name, const char* kind, bool exists_elsewhere) const;
    void collect_modules(NamedModules& out, std::unordered_set<const Module*>& memo,
                         const std::string& prefix, bool remove_duplicate) const;
    NamedTensors named_members(const std::string& prefix, bool recurse, bool buffers) const;
    void save_recursive(StateDict& destination, const std::string& prefix) const;
    void load_recursive(StateDict& state_dict, const std::string& prefix, IncompatibleKeys& keys,
                        std::vector<std::string>& error_msgs);
    ModuleHooks& hooks();

    std::string type_name_;
    bool training_ = true;
    OrderedDict<Tensor> parameters_;
    OrderedDict<Tensor> buffers_;
    std::unordered_set<std::string> non_persistent_buffers_;
    OrderedDict<ModulePtr> modules_;
    std::shared_ptr<ModuleHooks> hooks_;
    std::vector<TensorDeclaration> declared_tensors_;
};

} // namespace nnscope::nn

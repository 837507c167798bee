#pragma once
// Module hooks with PyTorch's arguments: forward pre-hooks may replace the inputs, forward hooks
// the output, full backward pre-hooks grad_output (PyTorch 2.0 semantics; 1.13 has no such
// hook), full backward hooks grad_input, legacy backward hooks (PyTorch 1.13's deprecated
// register_backward_hook) the grad_input of the node that made the module's output. A hook returns
// an empty list / undefined Tensor to keep what it was given. Each kind is ordered by a growing id
// and removable through its HookHandle.

#include "engine/nn/ordered_dict.h"
#include "engine/tensor.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::nn {

class Module;
using StateDict = OrderedDict<Tensor>;

// What load_state_dict reports (PyTorch's _IncompatibleKeys).
struct IncompatibleKeys {
    std::vector<std::string> missing_keys;
    std::vector<std::string> unexpected_keys;
};
// Python's repr of it: "<All keys matched successfully>" when both lists are empty, else
// "_IncompatibleKeys(missing_keys=['fc.bias'], unexpected_keys=['extra'])" (state_dict.cpp).
std::string repr(const IncompatibleKeys& keys);

using ForwardPreHook =
    std::function<std::vector<Tensor>(Module& module, const std::vector<Tensor>& inputs)>;
using ForwardHook =
    std::function<Tensor(Module& module, const std::vector<Tensor>& inputs, const Tensor& output)>;
using BackwardPreHook =
    std::function<std::vector<Tensor>(Module& module, const std::vector<Tensor>& grad_output)>;
// grad_input has one entry per module input; an undefined entry is Python's None.
using BackwardHook = std::function<std::vector<Tensor>(
    Module& module, const std::vector<Tensor>& grad_input, const std::vector<Tensor>& grad_output)>;
// Runs after the module (and its children) wrote their entries; may edit the dict in place.
using StateDictHook =
    std::function<void(Module& module, StateDict& state_dict, const std::string& prefix)>;
// Runs before the module loads its own entries from `state_dict` (the entries under `prefix`);
// may edit the dict, the key lists and the error messages.
using LoadStateDictPreHook =
    std::function<void(Module& module, StateDict& state_dict, const std::string& prefix,
                       IncompatibleKeys& keys, std::vector<std::string>& error_msgs)>;
// Runs after the module and its children loaded; may edit the key lists in place.
using LoadStateDictPostHook = std::function<void(Module& module, IncompatibleKeys& keys)>;

// The hooks of one module. Kept behind a shared_ptr so a handle outliving the module is harmless.
struct ModuleHooks {
    std::map<std::uint64_t, ForwardPreHook> forward_pre;
    std::map<std::uint64_t, ForwardHook> forward;
    std::map<std::uint64_t, BackwardPreHook> backward_pre;
    std::map<std::uint64_t, BackwardHook> backward;
    // register_backward_hook: post hooks on the grad_fn of the module's output, so grad_input is
    // that one operation's (e.g. ReLU's input, not the module's), as in PyTorch 1.13.
    std::map<std::uint64_t, BackwardHook> legacy_backward;
    // PyTorch's _is_full_backward_hook: unset, true after a full hook, false after a legacy one.
    std::optional<bool> full_backward;
    std::map<std::uint64_t, StateDictHook> state_dict;
    std::map<std::uint64_t, LoadStateDictPreHook> load_state_dict_pre;
    std::map<std::uint64_t, LoadStateDictPostHook> load_state_dict_post;

    bool call_hooks_empty() const {
        return forward_pre.empty() && forward.empty() && backward_pre.empty() && backward.empty() &&
               legacy_backward.empty();
    }
};

// Adds `hook` to one of the maps of `hooks` under a fresh id; the handle erases it again.
template <class Hook>
HookHandle add_module_hook(const std::shared_ptr<ModuleHooks>& hooks,
                           std::map<std::uint64_t, Hook> ModuleHooks::*kind, Hook hook);

// Module._call_impl with hooks present: forward pre-hooks, the backward hook wrapping of the
// inputs, forward, forward hooks, then the wrapping of the output.
Tensor call_with_hooks(Module& module, const ModuleHooks& hooks, std::vector<Tensor> inputs,
                       const std::function<Tensor(const std::vector<Tensor>&)>& forward);

std::uint64_t next_module_hook_id();

// Where the engine's deprecation warnings go (Python's warnings.warn): the legacy backward hook's
// "Using a non-full backward hook when ..." texts. Default (an empty handler): each distinct
// text once to stderr as "UserWarning: TEXT", as Python's default filter shows it once. Returns
// the previous handler. Thread-safe.
using WarningHandler = std::function<void(const std::string& message)>;
WarningHandler set_warning_handler(WarningHandler handler);
void warn(const std::string& message);

template <class Hook>
HookHandle add_module_hook(const std::shared_ptr<ModuleHooks>& hooks,
                           std::map<std::uint64_t, Hook> ModuleHooks::*kind, Hook hook) {
    const std::uint64_t id = next_module_hook_id();
    ((*hooks).*kind).emplace(id, std::move(hook));
    std::weak_ptr<ModuleHooks> weak = hooks;
    return HookHandle([weak, kind, id] {
        if (auto alive = weak.lock()) ((*alive).*kind).erase(id);
    });
}

} // namespace nnscope::nn

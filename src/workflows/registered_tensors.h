#pragma once
// What a module tree registers and what of it is saved (issue #17's builder): every parameter
// and buffer slot of every module, in state_dict order (each module's own parameters, then its
// own buffers, then its children's, pre-order), with whether state_dict() saves it, whether an
// optimizer built on model.parameters() updates it, and one line saying why:
//   parameter                 saved, updated by the optimizer
//   parameter, requires_grad=False   saved, not updated (frozen: its gradient stays None)
//   persistent buffer         saved, not updated (running statistics, masks, ...)
//   buffer, persistent=False  neither: register_buffer(..., persistent=False) keeps it out of
//                             state_dict, so a saved model does not carry it
//   None (bias=False)         a slot with no tensor: nothing saved, nothing updated
// A lazy module's parameters have no shape before its first forward: listed, not yet saved.
// A tensor registered under two names (tied weights) is saved under both keys and updated once,
// as model.parameters() lists it once.

#include "engine/nn/module.h"

#include <string>
#include <vector>

namespace nnscope::workflows {

struct RegisteredTensor {
    enum class Kind { Parameter, Buffer };

    std::string key;    // the state_dict key, "features.0.weight"
    std::string module; // the owning module's path ("" the root)
    std::string name;   // the attribute name, "weight"
    Kind kind = Kind::Parameter;
    bool is_none = false;   // registered as None
    bool persistent = true; // buffers: persistent=True
    bool requires_grad = false;
    bool uninitialized = false; // a lazy module's parameter before its first forward
    Shape shape;
    DType dtype = DType::Float32;
    bool saved = false;      // state_dict() has the key
    bool optimized = false;  // an optimizer over model.parameters() updates it (this name)
    std::string shared_with; // the first key of the same tensor, when tied; else ""
    std::string why;         // one line for the window and the CLI
};

std::vector<RegisteredTensor> registered_tensors(const nn::Module& model);

// Whether the module's own parameter `name` is a lazy module's parameter before its first forward
// (PyTorch's UninitializedParameter), as opposed to a slot registered as None (bias=False).
bool is_uninitialized_parameter(const nn::Module& module, const std::string& name);

// The keys state_dict() saves, in order, each with the line saying what it is; and the slots it
// leaves out, each with the reason. For the builder's "what would be saved" list.
struct SavedKeys {
    std::vector<std::string> saved;
    std::vector<std::pair<std::string, std::string>> left_out; // key, why
};
SavedKeys saved_keys(const nn::Module& model);

} // namespace nnscope::workflows

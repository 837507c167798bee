#pragma once
// A native model's architecture as a readable PyTorch 1.13 script, model.py (nnscope-cli
// export-pytorch, and the model builder's Export button). The script imports only torch and
// defines:
// - class Net: the root, a subclass of the root's torch.nn class (Net(nn.Sequential) chains its
//   children; a ModuleList or ModuleDict root raises NotImplementedError from forward, as those
//   have no forward). Its children are torch.nn literals, nn.Sequential(...) positional when the
//   names are "0", "1", ..., else nn.Sequential(OrderedDict(...)), nn.ModuleList([...]) and
//   nn.ModuleDict({...}), so names and registration order are the file's;
// - one class per distinct module that needs one: a module with declared tensors (a subclass of
//   its class whose __init__ calls super().__init__ and then registers them, in order), or a
//   container whose child names no literal keeps;
// - build(seed): torch.manual_seed(seed); return Net(). Building evaluates the literals left to
//   right, so modules initialise in nnscope's construction order (children first, then each
//   module's extra tensors, whose randn / rand draw at that point) and the initial state_dict
//   equals nnscope's for the same seed bit for bit.
// A LazyLinear stays nn.LazyLinear: its weight is drawn at the first forward, in PyTorch as in
// nnscope, so the two agree once each has run the same first input.
// Trained weights are not in the script (no safetensors reader exists in Debian 12's Python).
//
// Refused with std::invalid_argument naming the module's path: types that are not torch.nn
// classes (torchvision's blocks).

#include "io/architecture.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace nnscope::workflows {

struct PytorchExportOptions {
    std::uint64_t seed = 0; // build()'s default seed: the file's "nnscope.seed"
    std::string origin;     // named in the header comment ("model.safetensors")
};

// The model.py text.
std::string pytorch_model_source(const io::ModuleSpec& architecture,
                                 const PytorchExportOptions& options = {});

// Reads a native model file's architecture and seed and writes model.py at `out` (atomically).
// Errors name the file: not a native model, a bad architecture, a type that cannot be exported.
void export_pytorch_model(const std::filesystem::path& native_model,
                          const std::filesystem::path& out);

} // namespace nnscope::workflows

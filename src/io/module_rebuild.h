#pragma once
// Rebuilds the module objects a PyTorch file stores into engine modules with the file's weights,
// without running anything the file contains:
//   - whole-model pickles (torch.save(model)): each module's class name and pickled __dict__;
//   - TorchScript archives (torch.jit.save): each module object's class (its original_name) and
//     attributes, with the constants its class keeps in code/ (stride, padding, ...).
// torch.nn classes are built with the engine's module factory (nn::make_module), torchvision's
// classification blocks with vision::make_torchvision_module; the forward of each known class is
// the engine's. A module of any other class (e.g. __main__.Net) is refused with a message naming
// it and its path, saying why (its forward is Python code the file does not contain) and what to
// do instead (export to ONNX, or TorchScript of standard layers); its standard submodules can
// still be rebuilt one at a time (rebuild_pytorch_module with a module path).

#include "engine/nn/module.h"

#include <filesystem>
#include <memory>
#include <string>

namespace nnscope::io {

// The module at `module_path` ("" for the whole model, "features.3" for a submodule) of a
// whole-model pickle or TorchScript file. Throws std::runtime_error / std::invalid_argument
// naming the file and the problem; for a file that holds no module (a state_dict, a checkpoint)
// the message says so and suggests --architecture.
std::shared_ptr<nn::Module> rebuild_pytorch_module(const std::filesystem::path& path,
                                                   const std::string& module_path = {});

} // namespace nnscope::io

#pragma once
// A state_dict paired with an architecture (--architecture): the tensors a file stores loaded
// into modules built from a native model's architecture or from a torchvision architecture name,
// so that a state_dict trained in PyTorch can be run and browsed with its real module tree.

#include "engine/nn/module.h"
#include "io/model_document.h"

#include <memory>
#include <string>

namespace nnscope::workflows {

// A freshly built module for `architecture`: "torchvision:NAME" (vision::build_torchvision_model),
// or the path of a native model file (its architecture and seed). Throws std::invalid_argument
// naming an unknown architecture, std::runtime_error for an unreadable file.
std::shared_ptr<nn::Module> architecture_model(const std::string& architecture);

// Loads the document's module state into `module` through module.load_state_dict(state, strict)
// (its hooks fire), after stripping a DataParallel "module." prefix. Returns what PyTorch's
// load_state_dict returns (nn::repr prints it as _IncompatibleKeys does); throws
// std::runtime_error with PyTorch's "Error(s) in loading state_dict for TYPE: ..." text when
// strict and a key is missing or unexpected, or when a shape differs (also when not strict).
// Beyond PyTorch, which would round silently, a tensor whose dtype the module's tensor cannot
// hold exactly (float64 into float32) is refused, naming it, before anything is loaded.
nn::IncompatibleKeys load_state_dict_into(nn::Module& module, const io::ModelDocument& document,
                                          bool strict = true);

} // namespace nnscope::workflows

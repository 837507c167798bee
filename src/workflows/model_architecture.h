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

// Copies the document's module state into `module`, strictly, as load_state_dict(strict=True):
// every key present, none extra, shapes equal, dtypes held exactly; a DataParallel "module."
// prefix is stripped. Throws std::runtime_error naming the first tensor that does not fit.
void load_state_dict_into(nn::Module& module, const io::ModelDocument& document);

} // namespace nnscope::workflows

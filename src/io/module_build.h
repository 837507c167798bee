#pragma once
// Turns module records (module_record.h) into engine modules with the file's tensors: torch.nn
// classes through nn::make_module with the constructor arguments the attributes hold, torchvision
// blocks through vision::make_torchvision_module. Any other class is refused (see
// module_rebuild.h for the message); nothing a file contains is run.

#include "engine/nn/module.h"
#include "io/module_record.h"

#include <string>

namespace nnscope::io {

// Throws std::invalid_argument naming the module's path and class and what is wrong: an unknown
// class, a missing or mistyped attribute, a tensor that does not fit.
nn::ModulePtr build_module(const ModuleRecord& record);

// The refusal for a class nnscope cannot run: names the class and the path, says why and what
// to do instead.
std::string unknown_class_message(const ModuleRecord& record);

} // namespace nnscope::io

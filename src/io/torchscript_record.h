#pragma once
// Module records (module_record.h) from a TorchScript archive: each module object of data.pkl
// gives its class (the qualified name without TorchScript's __torch__ prefix and mangling), its
// attributes, children, parameters and buffers (told apart by the class's __parameters__ and
// __buffers__ in code/). The constructor arguments torch.nn keeps as constants come from the
// class's printed source: `Final` lines for scripted classes, the literal arguments of the op a
// traced forward calls, and the shapes of the weights. Nothing is run.

#include "io/module_record.h"
#include "io/pickle/value.h"
#include "io/pytorch_archive.h"

#include <memory>
#include <string>
#include <string_view>

namespace nnscope::io {

// "__torch__.torch.nn.modules.conv.___torch_mangle_3.Conv2d" -> "torch.nn.modules.conv.Conv2d";
// a user class keeps its prefix ("__torch__.Net").
std::string script_qualified_name(std::string_view name);

// The record tree of the TorchScript module object `root` (an Object value of data.pkl).
// Throws std::invalid_argument naming the module path when an object is malformed.
std::shared_ptr<const ModuleRecord> torchscript_module_record(const pickle::Value& root,
                                                              const PytorchObject& object);

} // namespace nnscope::io

#pragma once
// A built module seen as a model file's document: its tree, constructor arguments and tensors
// with their true roles, requires_grad and persistence, so that io::summarize and the window
// treat a native model like any file. A tensor reachable under two names is listed once.

#include "engine/nn/module.h"
#include "io/model_document.h"

namespace nnscope::io {

// Modules in named_modules() order (the root not listed; its type in the metadata key
// "nnscope.root_type"), each module's parameters then its buffers. The entries' loaders keep the
// module alive. Format Nnscope, no other metadata.
ModelDocument module_document(const nn::ModulePtr& root);

} // namespace nnscope::io

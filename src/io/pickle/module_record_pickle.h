#pragma once
// Module records (io/module_record.h) from a whole pickled torch.nn.Module (torch.save(model)):
// each module pickles as its class and its __dict__ (module_tree.h), read here as data only.

#include "engine/nn/value.h"
#include "io/module_record.h"
#include "io/pickle/document_builder.h"
#include "io/pickle/value.h"

#include <memory>
#include <optional>

namespace nnscope::io::pickle {

// A pickled attribute as the Python value a constructor takes: None, bool, int, float, str and
// tuples and lists of them; nullopt for anything else (tensors, objects, dicts).
std::optional<nn::Value> plain_attribute(const Value& value);

// The record tree of a pickled module (is_pickled_module(module) must hold), its path `path`.
// Tensors are read through `storages`. Throws std::invalid_argument naming the module path for a
// malformed module: a child that is not a module, a parameter or buffer that is not a tensor.
std::shared_ptr<const ModuleRecord>
pickled_module_record(const Value& module, std::shared_ptr<const StorageProvider> storages,
                      const std::string& path = "");

} // namespace nnscope::io::pickle

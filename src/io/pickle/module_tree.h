#pragma once
// A whole pickled torch.nn.Module (torch.save(model)) as a module tree. A module pickles as its
// class and its __dict__: `_modules`, `_parameters`, `_buffers`, `_non_persistent_buffers_set`
// and its constructor attributes. The tree lists modules, parameters and buffers exactly as
// named_modules(), named_parameters() and named_buffers() do: depth first in insertion order, a
// module or tensor reached twice (shared, tied) listed once under its first name.

#include "io/model_document.h"
#include "io/pickle/document_builder.h"
#include "io/pickle/value.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace nnscope::io::pickle {

// Whether `value` is a pickled nn.Module: a placeholder whose state has _modules, _parameters and
// _buffers dicts.
bool is_pickled_module(const Value& value);

// "torch.nn.modules.conv.Conv2d" -> "Conv2d", "torchvision.models.resnet.BasicBlock" ->
// "BasicBlock"; a class of any other package keeps its module ("__main__.MyBlock").
std::string module_type_name(std::string_view qualified_name);

// Adds the module tree rooted at `root` under `path` ("" for a file that is the model itself):
// modules with their types and extra_repr arguments, parameters and buffers as TensorEntries with
// their real roles, requires_grad and persistence. `other` is called for each module attribute
// that is neither plain data nor registered state (tensors kept as plain attributes, config
// objects), with its path.
void add_module_tree(ModelDocument& document, const Value& root, const std::string& path,
                     const std::shared_ptr<const StorageProvider>& storages,
                     const std::function<void(const Value&, const std::string&)>& other);

} // namespace nnscope::io::pickle

#pragma once
// One module object as a file stores it, whatever the format: its class, its plain attributes,
// its children, parameters and buffers. The pickle and TorchScript readers fill records; the
// builder (module_build.h) turns them into engine modules. Nothing here runs anything.

#include "engine/nn/value.h"
#include "engine/tensor.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nnscope::io {

struct ModuleRecord {
    // The Python class: "torch.nn.modules.conv.Conv2d", "torchvision.models.resnet.BasicBlock",
    // "__main__.Net".
    std::string qualified_name;
    std::string path; // "" for the root, "features.3"
    bool training = false;
    bool torchscript = false; // read from a TorchScript archive (for messages)
    // Attributes that are plain data (numbers, strings, None, tuples of them), in file order.
    nn::Arguments attributes;
    // In registration order; a null record is a child registered as None.
    std::vector<std::pair<std::string, std::shared_ptr<const ModuleRecord>>> children;
    // In registration order; an undefined tensor is a parameter or buffer registered as None.
    std::vector<std::pair<std::string, Tensor>> parameters;
    std::vector<std::pair<std::string, Tensor>> buffers;
    std::vector<std::string> non_persistent_buffers;

    // The attribute called `name`, or nullptr.
    const nn::Value* attribute(const std::string& name) const;
    // The parameter or buffer called `name` when it is defined, or nullptr.
    const Tensor* tensor(const std::string& name) const;
};

// The record at `module_path` below `root` ("" is the root itself). Throws std::invalid_argument
// naming the path, the first missing part and the children that part's parent does have.
std::shared_ptr<const ModuleRecord> find_record(const std::shared_ptr<const ModuleRecord>& root,
                                                const std::string& module_path);

} // namespace nnscope::io

#pragma once
// torchvision's classification models (torchvision 0.14) on engine modules: the block classes
// with torchvision's forward, and the architectures built as torchvision builds them, with
// torchvision's module names, so that a torchvision state_dict loads into them key for key.

#include "engine/nn/module.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::vision {

// The architecture names build_torchvision_model knows ("resnet18", "mobilenet_v2", ...), sorted.
std::vector<std::string> torchvision_model_names();

// torchvision.models.<name>(weights=None, num_classes=num_classes) with freshly initialised
// weights. Throws std::invalid_argument for an unknown name, listing the known ones.
std::shared_ptr<nn::Module> build_torchvision_model(std::string_view name,
                                                    std::int64_t num_classes = 1000);

// An empty module of a torchvision class ("BasicBlock", "InvertedResidual", "Fire", ...) for the
// file readers that rebuild a pickled or scripted model: the caller registers the children under
// their torchvision names and loads the tensors; `attributes` are the object's plain attributes
// as the file stores them (stride, use_res_connect, p, mode, ...). `qualified_name` is the full
// class name ("torchvision.models.resnet.BasicBlock"): two torchvision modules have classes named
// InvertedResidual. nullptr when the class is not one of torchvision's classification blocks.
nn::ModulePtr make_torchvision_module(std::string_view qualified_name,
                                      const nn::Arguments& attributes);

// The same block named by its class alone with the arguments its engine module gives
// (Module::arguments()), as a native model's architecture JSON stores a torchvision model that
// `convert --architecture torchvision:NAME` wrote; nullptr when no torchvision block has that
// name.
nn::ModulePtr make_torchvision_module_by_type(std::string_view type_name,
                                              const nn::Arguments& arguments);

} // namespace nnscope::vision

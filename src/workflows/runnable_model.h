#pragma once
// Any model file opened as an engine module that runs: a native model (or the bundled mlp / cnn),
// an ONNX graph, a whole-model PyTorch pickle or TorchScript file (its modules rebuilt), or a
// state_dict paired with an architecture (a native model file or "torchvision:NAME"). The format
// is told apart by io::detect_model_format / io::open_model; nothing in the file is executed.

#include "engine/nn/module.h"
#include "engine/tensor.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace nnscope::workflows {

struct RunnableModel {
    std::shared_ptr<nn::Module> module;
    // How it was built, for messages and the window: "native", "onnx", "pytorch module",
    // "torchscript", "state_dict + <architecture>".
    std::string kind;
    // The input shape the model expects, batch 1, when the file or the first layer says
    // (ONNX graph input with symbolic dims as 1; a first Conv2d's channels at 224x224, or 28x28
    // for one channel; a first Linear's features); absent otherwise.
    std::optional<Shape> input_shape;
    // A state_dict paired with an architecture: what load_state_dict returned.
    std::optional<nn::IncompatibleKeys> loaded;
};

// How a state_dict is loaded into an architecture's modules.
struct StateDictLoad {
    bool strict = true; // load_state_dict(strict=...)
    // Called with the freshly built modules before loading (e.g. to register hooks on them).
    std::function<void(nn::Module&)> before_load;
};

// Opens `name_or_path` ("mlp", "cnn" or a file) as a runnable model; `architecture` (may be
// empty) pairs a state_dict with an architecture as --architecture does. Throws
// std::invalid_argument / std::runtime_error naming the file and the problem: a state_dict
// without an architecture (suggesting --architecture), an unknown format, and whatever the
// format's loader refuses.
// `load` applies to the --architecture case only.
RunnableModel open_runnable_model(const std::string& name_or_path,
                                  const std::string& architecture = {},
                                  const StateDictLoad& load = {});

// The batch-1 input shape of a module tree judged from its first layer, as RunnableModel says.
std::optional<Shape> first_layer_input_shape(const nn::Module& module);

} // namespace nnscope::workflows

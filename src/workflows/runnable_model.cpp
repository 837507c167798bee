#include "workflows/runnable_model.h"

#include "io/module_rebuild.h"
#include "io/native_model.h"
#include "io/onnx/onnx_graph_module.h"
#include "io/open_model.h"
#include "workflows/default_models.h"
#include "workflows/model_architecture.h"

#include <stdexcept>

namespace nnscope::workflows {

namespace {

// ONNX graph input 0 with symbolic or unknown dims taken as 1 (the batch, usually).
std::optional<Shape> graph_input_shape(const io::ModelDocument& document) {
    if (document.graph_inputs.empty() || !document.graph_inputs.front().shape) return {};
    Shape shape;
    for (const auto& dim : *document.graph_inputs.front().shape) {
        std::int64_t n = 1;
        if (!dim.empty() && dim.find_first_not_of("0123456789") == std::string::npos)
            n = std::stoll(dim);
        shape.push_back(n > 0 ? n : 1);
    }
    return shape;
}

// A file that holds module objects (a whole-model pickle) names their classes; a state_dict
// gives no type, or only types guessed from the tensor names.
bool holds_modules(const io::ModelDocument& document) {
    for (const auto& [path, type] : document.modules)
        if (!type.empty() && !document.inferred_types.contains(path)) return true;
    return false;
}

[[noreturn]] void refuse_state_dict(const std::string& path, const char* what) {
    throw std::invalid_argument(
        path + ": " + what +
        " it holds tensors but no modules to run them; pair it with an architecture: "
        "--architecture NATIVE_MODEL.safetensors or --architecture torchvision:NAME (e.g. "
        "torchvision:resnet18)");
}

RunnableModel with_architecture(const std::string& path, const std::string& architecture,
                                const StateDictLoad& load) {
    const io::ModelDocument document = io::open_model(path);
    if (document.format == io::ModelFormat::Onnx)
        throw std::invalid_argument(path + ": --architecture pairs a state_dict with modules; an "
                                           "ONNX file brings its own graph");
    RunnableModel model;
    model.module = architecture_model(architecture);
    if (load.before_load) load.before_load(*model.module);
    model.loaded = load_state_dict_into(*model.module, document, load.strict);
    model.kind = "state_dict + " + architecture;
    return model;
}

} // namespace

std::optional<Shape> first_layer_input_shape(const nn::Module& module) {
    for (const auto& [path, m] : module.named_modules()) {
        const auto& type = m->type_name();
        if (type != "Conv2d" && type != "Linear") continue;
        for (const auto& [name, weight] : m->named_parameters("", false)) {
            if (name != "weight") continue;
            if (type == "Linear" && weight.dim() == 2) return Shape{1, weight.size(1)};
            if (type == "Conv2d" && weight.dim() == 4) {
                const std::int64_t side = weight.size(1) == 1 ? 28 : 224;
                return Shape{1, weight.size(1), side, side};
            }
        }
        return {};
    }
    return {};
}

RunnableModel open_runnable_model(const std::string& name_or_path, const std::string& architecture,
                                  const StateDictLoad& load) {
    if (!architecture.empty()) {
        RunnableModel model = with_architecture(name_or_path, architecture, load);
        model.input_shape = first_layer_input_shape(*model.module);
        return model;
    }
    RunnableModel model;
    const std::string format = default_model_architecture(name_or_path)
                                   ? std::string("nnscope")
                                   : io::detect_model_format(name_or_path);
    if (format == "nnscope") {
        model.module = load_model(name_or_path).module;
        model.kind = "native";
    } else if (format == "onnx") {
        model.module = io::load_onnx_module(name_or_path);
        model.kind = "onnx";
        model.input_shape = graph_input_shape(io::open_model(name_or_path));
    } else if (format == "safetensors") {
        refuse_state_dict(name_or_path, "not an nnscope model (its metadata has no "
                                        "'nnscope.architecture'):");
    } else if (format == "pytorch") {
        const io::ModelDocument document = io::open_model(name_or_path);
        if (document.format != io::ModelFormat::Torchscript && !holds_modules(document))
            refuse_state_dict(name_or_path, "a state_dict or checkpoint:");
        model.module = io::rebuild_pytorch_module(name_or_path);
        model.kind =
            document.format == io::ModelFormat::Torchscript ? "torchscript" : "pytorch module";
    } else {
        throw std::invalid_argument(name_or_path +
                                    ": not a model file nnscope can run (native nnscope, ONNX, "
                                    "PyTorch or TorchScript)");
    }
    if (!model.input_shape) model.input_shape = first_layer_input_shape(*model.module);
    return model;
}

} // namespace nnscope::workflows

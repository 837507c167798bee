// nnscope-cli convert IN OUT [--architecture NATIVE|torchvision:NAME] [--plain]: rewrites a
// model file in the format OUT's extension names.
//   .safetensors  a native model stays native (architecture and seed kept; --plain drops them);
//                 any other file becomes a plain safetensors file of all its tensors;
//                 --architecture makes a native model of IN's tensors with the architecture of
//                 a native model file or of a torchvision model (a state_dict trained in
//                 PyTorch, viewed with its real tree).
//   .pt / .pth    a PyTorch zip state_dict that torch.load(weights_only=True) reads: a native
//                 model's state_dict, or every tensor of another file under its dotted name.
// It refuses, with the reason, what makes no sense: ONNX output, OUT equal to IN, an optimizer-only
// checkpoint as a native model, tensors the target architecture cannot hold.

#include "cli/commands.h"
#include "cli/subcommands.h"
#include "io/native_model.h"
#include "io/open_model.h"
#include "io/pytorch_writer.h"
#include "workflows/model_architecture.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <stdexcept>

namespace nnscope::cli {

namespace {

namespace fs = std::filesystem;

std::string lower_extension(const fs::path& path) {
    std::string ext = path.extension().string();
    for (char& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

[[noreturn]] void refuse(const std::string& why) {
    throw std::runtime_error("cannot convert: " + why);
}

bool same_file(const fs::path& in, const fs::path& out) {
    std::error_code ec;
    if (fs::exists(out, ec) && fs::equivalent(in, out, ec)) return true;
    return fs::weakly_canonical(in, ec) == fs::weakly_canonical(out, ec);
}

// Every tensor of the document, loaded together so that tensors viewing one storage keep
// sharing it in the output.
io::NamedTensors load_all(const io::ModelDocument& document) {
    io::NamedTensors tensors;
    tensors.reserve(document.tensors.size());
    for (const auto& entry : document.tensors)
        tensors.emplace_back(entry.name, entry.load());
    return tensors;
}

io::SafetensorsMetadata plain_metadata(const std::map<std::string, std::string>& metadata) {
    io::SafetensorsMetadata out;
    for (const auto& [key, value] : metadata)
        if (!key.starts_with("nnscope.")) out[key] = value; // notes about the source file
    return out;
}

// IN's tensors in `architecture` (a native model file or "torchvision:NAME") through
// load_state_dict(strict): shapes equal and dtypes held exactly; when strict, every key present
// and none extra (PyTorch's message), else what load_state_dict returned.
nn::IncompatibleKeys save_with_architecture(const io::ModelDocument& document,
                                            const std::string& architecture, const fs::path& out,
                                            bool strict) {
    std::shared_ptr<nn::Module> module;
    io::NativeSaveOptions options;
    if (architecture.starts_with("torchvision:")) {
        module = workflows::architecture_model(architecture);
    } else {
        io::NativeModel model = io::load_native_model(architecture);
        module = model.module;
        options.seed = model.seed;
    }
    nn::IncompatibleKeys keys;
    try {
        keys = workflows::load_state_dict_into(*module, document, strict);
    } catch (const std::runtime_error& e) {
        refuse(e.what());
    }
    options.extra_metadata = plain_metadata(document.metadata);
    io::save_native_model(out, *module, options);
    return keys;
}

int run(Args args) {
    const std::optional<std::string> architecture = args.option("architecture");
    const bool plain = args.flag("plain");
    const bool non_strict = args.flag("non-strict");
    const fs::path in = args.positional("IN");
    const fs::path out = args.positional("OUT");
    args.finish();

    const std::string ext = lower_extension(out);
    if (ext == ".onnx")
        refuse("nnscope does not export ONNX: an ONNX file is a computation graph, and model "
               "files and nnscope's models hold tensors and module types, not a traced graph; "
               "write .safetensors or .pt instead");
    if (ext != ".safetensors" && ext != ".pt" && ext != ".pth")
        refuse("unknown output format '" + out.filename().string() +
               "' (expected .safetensors, .pt or .pth)");
    if (same_file(in, out)) refuse("IN and OUT are the same file");
    if (architecture && ext != ".safetensors")
        throw UsageError("--architecture makes a native model: OUT must be .safetensors");
    if (architecture && plain) throw UsageError("--architecture and --plain exclude each other");
    if (non_strict && !architecture)
        throw UsageError("--non-strict applies to a state_dict loaded with --architecture");

    const io::ModelDocument document = io::open_model(in);
    const bool native = document.format == io::ModelFormat::Nnscope;
    if (ext == ".safetensors" && architecture) {
        const nn::IncompatibleKeys keys =
            save_with_architecture(document, *architecture, out, !non_strict);
        if (non_strict) std::cout << "load_state_dict(strict=False): " << nn::repr(keys) << "\n";
    } else if (ext == ".safetensors" && native && !plain) {
        const io::NativeModel model = io::load_native_model(in);
        io::NativeSaveOptions options;
        options.seed = model.seed;
        for (const auto& [key, value] : model.metadata)
            if (key != io::architecture_metadata_key && key != io::seed_metadata_key)
                options.extra_metadata[key] = value;
        io::save_native_model(out, *model.module, options);
    } else if (ext == ".safetensors") {
        io::save_safetensors(out, load_all(document), plain_metadata(document.metadata));
    } else if (native) { // the state_dict, without non-persistent buffers, as PyTorch saves it
        const io::NativeModel model = io::load_native_model(in);
        io::NamedTensors tensors;
        for (const auto& [key, value] : model.module->state_dict())
            tensors.emplace_back(key, value);
        io::save_pytorch_state_dict(out, tensors);
    } else {
        io::save_pytorch_state_dict(out, load_all(document));
    }
    std::cout << "wrote " << out.string() << " (" << document.tensors.size() << " tensors from "
              << io::to_string(document.format) << ")\n";
    return 0;
}

} // namespace

const Command& convert_command() {
    static const Command command{
        "convert",
        "rewrite a model file as .safetensors or as a .pt that torch.load(weights_only=True) "
        "reads",
        {positional("IN", "the model file to read (any format summary opens)"),
         positional("OUT", "the file to write; its extension (.safetensors, .pt or .pth) names "
                           "the format"),
         value("architecture", "NATIVE",
               "a native model file, or torchvision:NAME (resnet18, mobilenet_v2, ...), whose "
               "architecture IN's tensors fill: a state_dict trained in PyTorch becomes a "
               "native model with its real module tree (.safetensors output only)"),
         flag("plain", "write a native model as plain safetensors, without its architecture and "
                       "seed"),
         flag("non-strict",
              "with --architecture: load_state_dict(strict=False): missing keys keep the "
              "architecture's initial values, unexpected ones are dropped, and both are printed "
              "as PyTorch's _IncompatibleKeys")},
        ".safetensors: a native model stays native; any other file becomes a plain safetensors "
        "file of all its tensors.\n.pt/.pth: a PyTorch zip state_dict: a native model's "
        "state_dict, or every tensor of another file under its dotted name.\nconvert refuses, "
        "with the reason, what makes no sense: ONNX output, OUT equal to IN, an optimizer-only "
        "checkpoint as a native model, tensors the target architecture cannot hold.",
        run};
    return command;
}

} // namespace nnscope::cli

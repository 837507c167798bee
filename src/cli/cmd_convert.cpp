// nnscope-cli convert IN OUT [--architecture NATIVE] [--plain]: rewrites a model file in the
// format OUT's extension names.
//   .safetensors  a native model stays native (architecture and seed kept; --plain drops them);
//                 any other file becomes a plain safetensors file of all its tensors;
//                 --architecture NATIVE makes a native model of IN's tensors with NATIVE's
//                 architecture (a state_dict trained in PyTorch, viewed with its real tree).
//   .pt / .pth    a PyTorch zip state_dict that torch.load(weights_only=True) reads: a native
//                 model's state_dict, or every tensor of another file under its dotted name.
// It refuses, with the reason, what makes no sense: ONNX output, OUT equal to IN, an optimizer-only
// checkpoint as a native model, tensors the target architecture cannot hold.

#include "cli/commands.h"
#include "cli/subcommands.h"
#include "engine/autograd/grad_mode.h"
#include "io/native_model.h"
#include "io/open_model.h"
#include "io/pytorch_writer.h"

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

// Whether `from` converts to `to` without rounding (same dtype or exact widening).
bool holds_exactly(DType to, DType from) {
    if (to == from) return true;
    switch (from) {
    case DType::Float16:
    case DType::BFloat16:
        return to == DType::Float32 || to == DType::Float64;
    case DType::Float32:
        return to == DType::Float64;
    default:
        return false;
    }
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

// IN's tensors in the architecture of the native model `reference`; strict, as
// load_state_dict(strict=True): every key present, none extra, shapes equal, dtypes held exactly.
void save_with_architecture(const io::ModelDocument& document, const fs::path& reference,
                            const fs::path& out) {
    io::NativeModel model = io::load_native_model(reference);
    const bool module_state =
        std::any_of(document.tensors.begin(), document.tensors.end(),
                    [](const auto& e) { return e.role != io::TensorRole::Unknown; });
    if (!document.tensors.empty() && !module_state)
        refuse("the input holds only optimizer state (no parameters or buffers): there is no "
               "model to convert");
    const std::string strip = document.metadata.count("nnscope.dataparallel") ? "module." : "";
    nn::StateDict state = model.module->state_dict();
    std::map<std::string, const io::TensorEntry*> by_key;
    for (const auto& entry : document.tensors)
        by_key[entry.name.substr(entry.name.starts_with(strip) ? strip.size() : 0)] = &entry;
    for (const auto& [key, target] : state) {
        const auto found = by_key.find(key);
        if (found == by_key.end()) refuse("the input has no tensor '" + key + "'");
        const io::TensorEntry& entry = *found->second;
        if (entry.shape != target.shape())
            refuse("tensor '" + key + "' has shape " + shape_to_string(entry.shape) +
                   ", the architecture expects " + shape_to_string(target.shape()));
        if (!holds_exactly(target.dtype(), entry.dtype))
            refuse("tensor '" + key + "' is " + std::string(dtype_name(entry.dtype)) +
                   ", which the model's " + std::string(dtype_name(target.dtype())) +
                   " tensor cannot hold exactly");
    }
    for (const auto& [key, entry] : by_key)
        if (!state.contains(key))
            refuse("tensor '" + entry->name + "' is not in the architecture's state_dict");
    autograd::NoGradGuard no_grad;
    for (auto& [key, target] : state) {
        Tensor destination = target;
        destination.copy_(by_key.at(key)->load());
    }
    io::NativeSaveOptions options;
    options.seed = model.seed;
    options.extra_metadata = plain_metadata(document.metadata);
    io::save_native_model(out, *model.module, options);
}

int run(Args args) {
    const std::optional<std::string> architecture = args.option("architecture");
    const bool plain = args.flag("plain");
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

    const io::ModelDocument document = io::open_model(in);
    const bool native = document.format == io::ModelFormat::Nnscope;
    if (ext == ".safetensors" && architecture) {
        save_with_architecture(document, *architecture, out);
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
               "a native model file whose architecture IN's tensors fill: a state_dict "
               "trained in PyTorch becomes a native model with its real module tree "
               "(.safetensors output only)"),
         flag("plain", "write a native model as plain safetensors, without its architecture and "
                       "seed")},
        ".safetensors: a native model stays native; any other file becomes a plain safetensors "
        "file of all its tensors.\n.pt/.pth: a PyTorch zip state_dict: a native model's "
        "state_dict, or every tensor of another file under its dotted name.\nconvert refuses, "
        "with the reason, what makes no sense: ONNX output, OUT equal to IN, an optimizer-only "
        "checkpoint as a native model, tensors the target architecture cannot hold.",
        run};
    return command;
}

} // namespace nnscope::cli

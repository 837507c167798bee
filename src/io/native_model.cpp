#include "io/native_model.h"

#include "engine/autograd/grad_mode.h"
#include "engine/generator.h"

#include <charconv>
#include <stdexcept>

namespace nnscope::io {

namespace {

std::string in_file(const std::filesystem::path& path, const std::string& what) {
    return path.string() + ": " + what;
}

std::string some_keys(const nn::StateDict& state) {
    if (state.empty()) return "it has none";
    std::string out = "it has ";
    std::size_t shown = 0;
    for (const auto& [key, value] : state) {
        if (shown == 8) return out + ", ... (" + std::to_string(state.size()) + " in all)";
        out += (shown++ ? ", '" : "'") + key + "'";
    }
    return out;
}

} // namespace

bool is_native_model(const SafetensorsMetadata& metadata) {
    return metadata.count(std::string(architecture_metadata_key)) != 0;
}

std::uint64_t parse_seed(std::string_view text) {
    std::uint64_t seed = 0;
    const char* end = text.data() + text.size();
    auto [stop, error] = std::from_chars(text.data(), end, seed);
    if (text.empty() || error != std::errc() || stop != end)
        throw std::invalid_argument("nnscope.seed must be a decimal integer in [0, 2^64), got '" +
                                    std::string(text) + "'");
    return seed;
}

NativeModel build_native_model(const ModuleSpec& architecture, std::uint64_t seed) {
    NativeModel model;
    model.architecture = architecture;
    model.seed = seed;
    // Seeding the process-wide generator is what torch.manual_seed does before PyTorch builds
    // the same tree; modules draw their default init from it.
    manual_seed(seed);
    model.module = build_module(architecture);
    for (const auto& [key, value] : model.module->state_dict())
        model.initialised_keys.push_back(key);
    return model;
}

NativeModel load_native_model(const std::filesystem::path& path) {
    SafetensorsFile file(path);
    const auto& metadata = file.metadata();
    auto arch = metadata.find(std::string(architecture_metadata_key));
    if (arch == metadata.end())
        throw std::invalid_argument(
            in_file(path, "not an nnscope model: its metadata has no 'nnscope.architecture'"));

    std::uint64_t seed = 0;
    if (auto s = metadata.find(std::string(seed_metadata_key)); s != metadata.end()) {
        try {
            seed = parse_seed(s->second);
        } catch (const std::exception& e) {
            throw std::invalid_argument(in_file(path, e.what()));
        }
    }

    NativeModel model;
    try {
        model = build_native_model(parse_architecture(arch->second), seed);
    } catch (const std::exception& e) {
        throw std::invalid_argument(in_file(path, e.what()));
    }
    model.metadata = metadata;

    // Validate everything before changing anything, so an error names the first bad tensor.
    const nn::StateDict state = model.module->state_dict();
    for (const auto& entry : file.header().entries) {
        const Tensor* target = state.find(entry.name);
        if (!target)
            throw std::invalid_argument(in_file(path, "tensor '" + entry.name +
                                                          "' is not in the architecture's "
                                                          "state_dict (" +
                                                          some_keys(state) + ")"));
        if (entry.shape != target->shape())
            throw std::invalid_argument(in_file(
                path, "tensor '" + entry.name + "' has shape " + shape_to_string(entry.shape) +
                          " but the architecture expects " + shape_to_string(target->shape())));
        if (is_floating_point(entry.dtype) != target->is_floating_point())
            throw std::invalid_argument(in_file(
                path, "tensor '" + entry.name + "' has dtype " +
                          std::string(dtype_name(entry.dtype)) + " but the architecture expects " +
                          std::string(dtype_name(target->dtype()))));
    }

    autograd::NoGradGuard no_grad;
    std::vector<std::string> initialised;
    for (const auto& [key, value] : state) {
        if (!file.contains(key)) {
            initialised.push_back(key);
            continue;
        }
        Tensor target = value; // a detached view of the module's own tensor
        target.copy_(file.tensor(key));
        model.loaded_keys.push_back(key);
    }
    model.initialised_keys = std::move(initialised);
    return model;
}

void save_native_model(const std::filesystem::path& path, const nn::Module& module,
                       const NativeSaveOptions& options) {
    SafetensorsMetadata metadata = options.extra_metadata;
    metadata[std::string(architecture_metadata_key)] =
        architecture_to_json(describe_module(module));
    metadata[std::string(seed_metadata_key)] = std::to_string(options.seed);
    NamedTensors tensors;
    if (options.with_tensors)
        for (const auto& [key, value] : module.state_dict())
            tensors.emplace_back(key, value);
    save_safetensors(path, tensors, metadata);
}

} // namespace nnscope::io

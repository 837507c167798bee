#pragma once
// nnscope's native model file: a safetensors file whose tensors are named by state_dict keys and
// whose metadata holds
//   "nnscope.architecture": the module tree as JSON (see architecture.h)
//   "nnscope.seed": optional decimal integer, default 0.
// Loading seeds the default generator with the seed, builds the tree (so every module runs its
// default init in construction order, as PyTorch does after torch.manual_seed(seed)), then
// copies in the tensors the file has. A file with no tensors at all is therefore exact too.

#include "engine/nn/module.h"
#include "io/architecture.h"
#include "io/safetensors.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::io {

inline constexpr std::string_view architecture_metadata_key = "nnscope.architecture";
inline constexpr std::string_view seed_metadata_key = "nnscope.seed";

struct NativeModel {
    nn::ModulePtr module;
    ModuleSpec architecture;
    std::uint64_t seed = 0;
    SafetensorsMetadata metadata;              // the file's whole metadata map
    std::vector<std::string> loaded_keys;      // state_dict keys the file provided
    std::vector<std::string> initialised_keys; // state_dict keys left at their seeded init
};

// Whether a file's metadata marks it as a native model (it has an architecture).
bool is_native_model(const SafetensorsMetadata& metadata);

// Builds a model from an architecture and seed alone (every tensor from the seeded init).
NativeModel build_native_model(const ModuleSpec& architecture, std::uint64_t seed = 0);

// Reads and validates a native model file. Throws std::invalid_argument / std::runtime_error
// naming the file and the problem: not a native model, bad seed, bad architecture JSON, unknown
// module type or argument (with the module's path), a tensor the architecture does not have, a
// shape that differs from the architecture's (the key and both shapes).
NativeModel load_native_model(const std::filesystem::path& path);

struct NativeSaveOptions {
    std::uint64_t seed = 0;
    bool with_tensors = true; // false: architecture and seed only
    SafetensorsMetadata extra_metadata;
};

// Writes the module's state_dict and its architecture (and seed) as a native model file.
void save_native_model(const std::filesystem::path& path, const nn::Module& module,
                       const NativeSaveOptions& options = {});

// Parses "nnscope.seed": a decimal integer in [0, 2^64). Throws std::invalid_argument.
std::uint64_t parse_seed(std::string_view text);

} // namespace nnscope::io

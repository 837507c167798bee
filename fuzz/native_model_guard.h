#pragma once
// A native file may legitimately hold only an architecture and a seed, so a few bytes can ask for
// any model size: building it is then the user's request, not a reader bug. Targets skip
// architectures whose rough size (the product of each module's integer arguments, summed) passes
// 2^25 elements, so their time goes to the parsers rather than to the allocator.
#include "io/architecture.h"
#include "io/native_model.h"
#include "io/safetensors.h"

#include <string>

namespace nnscope::fuzz {

inline double rough_size(const nn::Value& value) {
    if (value.is_int()) return value.as_int() > 1 ? static_cast<double>(value.as_int()) : 1.0;
    if (!value.is_list()) return 1.0;
    double product = 1.0;
    for (const auto& item : value.as_list())
        product *= rough_size(item);
    return product;
}

inline double rough_size(const io::ModuleSpec& spec) {
    double product = 1.0;
    for (const auto& [name, value] : spec.arguments)
        product *= rough_size(value);
    double total = spec.arguments.empty() ? 0.0 : product;
    for (const auto& [name, child] : spec.children)
        total += rough_size(child);
    return total;
}

// True when the file at `path` is a native model whose architecture is too big to build here.
// Throws what the header reader throws.
inline bool native_model_too_big(const std::string& path) {
    const io::SafetensorsHeader header = io::read_safetensors_header(path);
    const auto arch = header.metadata.find(std::string(io::architecture_metadata_key));
    return arch != header.metadata.end() &&
           rough_size(io::parse_architecture(arch->second)) > double(1 << 25);
}

} // namespace nnscope::fuzz

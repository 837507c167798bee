// Native models: a safetensors file whose metadata holds an architecture (JSON module tree) and
// a seed; loading builds the modules and copies the tensors in.
//
// A native file may legitimately hold only an architecture and a seed, so a few bytes can ask for
// any model size: building it is then the user's request, not a reader bug. The target skips
// architectures whose rough size (the product of each module's integer arguments, summed) passes
// 2^25 elements, so its time goes to the parsers rather than to the allocator.
#include "fuzz_input.h"
#include "io/native_model.h"

#include <exception>

namespace {

double rough_size(const nnscope::nn::Value& value) {
    if (value.is_int()) return value.as_int() > 1 ? static_cast<double>(value.as_int()) : 1.0;
    if (!value.is_list()) return 1.0;
    double product = 1.0;
    for (const auto& item : value.as_list())
        product *= rough_size(item);
    return product;
}

double rough_size(const nnscope::io::ModuleSpec& spec) {
    double product = 1.0;
    for (const auto& [name, value] : spec.arguments)
        product *= rough_size(value);
    double total = spec.arguments.empty() ? 0.0 : product;
    for (const auto& [name, child] : spec.children)
        total += rough_size(child);
    return total;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = nnscope::fuzz::input_file().write(data, size);
    try {
        const nnscope::io::SafetensorsHeader header = nnscope::io::read_safetensors_header(path);
        const auto arch = header.metadata.find(std::string(nnscope::io::architecture_metadata_key));
        if (arch != header.metadata.end() &&
            rough_size(nnscope::io::parse_architecture(arch->second)) > double(1 << 25))
            return 0;
        const nnscope::io::NativeModel model = nnscope::io::load_native_model(path);
        for (const auto& [key, tensor] : model.module->state_dict())
            nnscope::fuzz::touch(tensor);
    } catch (const std::exception&) {
    }
    return 0;
}

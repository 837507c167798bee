// Native models: a safetensors file whose metadata holds an architecture (JSON module tree) and
// a seed; loading builds the modules and copies the tensors in.
#include "fuzz_input.h"
#include "native_model_guard.h"

#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = nnscope::fuzz::input_file().write(data, size);
    try {
        if (nnscope::fuzz::native_model_too_big(path)) return 0;
        const nnscope::io::NativeModel model = nnscope::io::load_native_model(path);
        for (const auto& [key, tensor] : model.module->state_dict())
            nnscope::fuzz::touch(tensor);
    } catch (const std::exception&) {
    }
    return 0;
}

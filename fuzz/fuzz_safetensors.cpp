// safetensors: header JSON, offsets and every tensor's bytes.
#include "fuzz_input.h"
#include "io/safetensors.h"

#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = nnscope::fuzz::input_file().write(data, size);
    try {
        const nnscope::io::SafetensorsFile file(path);
        for (const auto& [name, tensor] : file.tensors())
            nnscope::fuzz::touch(tensor);
    } catch (const std::exception&) {
        // A clear error is the right answer to a broken file.
    }
    return 0;
}

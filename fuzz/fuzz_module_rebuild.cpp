// Rebuilding modules from whole-model pickles and TorchScript archives (io/module_rebuild.h):
// the records read from data.pkl, the constants and traced op arguments parsed from code/, the
// engine modules built from them and the tensors loaded into them. Seeded with the rebuild
// goldens; the input also goes through the textual readers of class sources directly.
#include "fuzz_input.h"
#include "io/module_rebuild.h"
#include "io/torchscript_source.h"

#include <exception>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = nnscope::fuzz::input_file().write(data, size);
    try {
        const auto module = nnscope::io::rebuild_pytorch_module(path);
        (void)module->repr();
    } catch (const std::exception&) {
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)nnscope::io::script_constants(text);
    (void)nnscope::io::script_call_arguments(text, "torch._convolution");
    (void)nnscope::io::parse_script_literal(text.substr(0, 256));
    return 0;
}

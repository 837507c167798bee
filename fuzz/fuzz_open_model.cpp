// Any bytes through open_model, as `nnscope-cli summary` and the window open files: format
// detection, then the reader it picks; every tensor is then loaded and read. The input is named
// model.onnx (the one format told by its extension), so bytes without a magic reach ONNX.
#include "fuzz_input.h"
#include "io/open_model.h"
#include "native_model_guard.h"

#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static nnscope::fuzz::NamedInputFile input("model.onnx");
    const std::string& path = input.write(data, size);
    try {
        if (nnscope::io::detect_model_format(path) == "nnscope" &&
            nnscope::fuzz::native_model_too_big(path))
            return 0;
        nnscope::fuzz::load_all(nnscope::io::open_model(path));
    } catch (const std::exception&) {
    }
    return 0;
}

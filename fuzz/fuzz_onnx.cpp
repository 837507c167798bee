// ONNX: the protobuf message, graph, attributes (small tensors are read for their text) and every
// initializer, external data included. The input lies alone in a fresh folder, so external data
// can name only the input itself (read as data) or something refused.
#include "fuzz_input.h"
#include "io/onnx/onnx_model.h"

#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static nnscope::fuzz::NamedInputFile input("model.onnx");
    const std::string& path = input.write(data, size);
    try {
        nnscope::fuzz::load_all(nnscope::io::open_onnx_file(path));
    } catch (const std::exception&) {
    }
    return 0;
}

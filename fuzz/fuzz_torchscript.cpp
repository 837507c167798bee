// TorchScript archives (torch.jit.save): data.pkl of __torch__ objects, constants.pkl, and code/
// read as text. Seeded with TorchScript files; the input also goes through the textual reader of
// class sources directly, which the archive only reaches for classes it names.
#include "io/pickle/document_builder.h"
#include "pytorch_file_target.h"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nnscope::fuzz::open_pytorch_and_load(data, size);
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = text.find('\n');
    if (newline != std::string_view::npos)
        nnscope::io::pickle::parse_script_class(text.substr(newline + 1), text.substr(0, newline));
    return 0;
}

#pragma once
// Shared body of the PyTorch file targets: open the file as nnscope-cli summary does, then load
// and read every tensor as the window does.
#include "fuzz_input.h"
#include "io/pytorch_archive.h"

#include <exception>

namespace nnscope::fuzz {

inline void open_pytorch_and_load(const std::uint8_t* data, std::size_t size) {
    const std::string& path = input_file().write(data, size);
    try {
        load_all(io::open_pytorch_file(path));
    } catch (const std::exception&) {
    }
}

} // namespace nnscope::fuzz

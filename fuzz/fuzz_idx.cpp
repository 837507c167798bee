// IDX files (MNIST), raw or gzipped, read as labels (1 dimension) and as images (3): real files
// seed the corpus as they are.
#include "data/idx_file.h"
#include "fuzz_input.h"

#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = nnscope::fuzz::input_file().write(data, size);
    for (const int ndim : {1, 3}) {
        try {
            nnscope::data::read_idx_uint8(path, ndim);
        } catch (const std::exception&) {
        }
    }
    return 0;
}

// Image files (PNG through libpng, JPEG through libjpeg), picked by their first bytes as
// data::read_image picks them: real files seed the corpus as they are. libjpeg's errors and
// warnings end in an exception (jpeg_file.cpp's longjmp), never an exit().
#include "data/image_file.h"
#include "fuzz_input.h"

#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = nnscope::fuzz::input_file().write(data, size);
    try {
        nnscope::data::read_image(path);
    } catch (const std::exception&) {
    }
    return 0;
}
